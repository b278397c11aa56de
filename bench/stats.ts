// Pure figures for the overhead benchmark: quantiles, means and rounded ratios.

/** The p-quantile (0..1) of ascending-sorted values; 0 when there are none. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** a / b rounded to 2 decimals; null when b is 0 (no ratio to report). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 100) / 100;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
