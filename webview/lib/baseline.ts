// The baseline band drawn behind a series: for each point, the median of the previous
// `window` points ± k·1.4826·MAD (a robust ~±3σ band, the same statistic the collector's
// anomaly detection uses). Points without enough history get no band. Pure.

export interface Band {
  lower: (number | null)[];
  upper: (number | null)[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function baselineBand(values: (number | null | undefined)[], window = 30, k = 3, minPoints = 8): Band {
  const lower: (number | null)[] = [];
  const upper: (number | null)[] = [];
  const hist: number[] = [];
  for (const v of values) {
    if (hist.length >= minPoints) {
      const med = median(hist);
      const mad = median(hist.map((x) => Math.abs(x - med))) * 1.4826;
      const spread = Math.max(mad * k, Math.abs(med) * 0.05);
      lower.push(Math.max(0, med - spread));
      upper.push(med + spread);
    } else {
      lower.push(null);
      upper.push(null);
    }
    if (typeof v === 'number' && Number.isFinite(v)) {
      hist.push(v);
      if (hist.length > window) hist.shift();
    }
  }
  return { lower, upper };
}
