// The one bucket primitive of every series: calls (or points), errors, the sum and maximum
// of the observed values (durations in ms, or metric values), and optionally a mergeable
// LogHistogram of them (quantiles). A minute of a lens line, an hour, a day, a baseline
// minute and a per-revision total are all cells; merging two cells is exact for counts,
// sums and maxima and within the histogram's ≈1 % for quantiles.
import { LogHistogram, type HistogramJson } from '../model/histogram';

export interface Cell {
  count: number;
  errors: number;
  sum: number;
  max: number;
  hist?: LogHistogram;
}

/** `[count, errors, sum, max, histogram or null]`. */
export type CellJson = [number, number, number, number, HistogramJson | null];

export function newCell(withHistogram: boolean): Cell {
  const c: Cell = { count: 0, errors: 0, sum: 0, max: 0 };
  if (withHistogram) c.hist = new LogHistogram();
  return c;
}

/** Counts one observation: a call (with its duration, if any) or a metric value. */
export function observe(c: Cell, value: number | undefined, error: boolean): void {
  c.count++;
  if (error) c.errors++;
  if (value === undefined || !Number.isFinite(value)) return;
  c.sum += value;
  if (value > c.max) c.max = value;
  c.hist?.add(value);
}

export function mergeCell(into: Cell, from: Cell): Cell {
  into.count += from.count;
  into.errors += from.errors;
  into.sum += from.sum;
  if (from.max > into.max) into.max = from.max;
  if (from.hist) (into.hist ??= new LogHistogram()).merge(from.hist);
  return into;
}

/** The p-quantile of the cell's values; undefined without a histogram or values. */
export function cellQuantile(c: Cell, q: number): number | undefined {
  return c.hist && c.hist.count ? c.hist.quantile(q) : undefined;
}

export function cellToJson(c: Cell): CellJson {
  return [c.count, c.errors, c.sum, c.max, c.hist ? c.hist.toJSON() : null];
}

export function cellFromJson(j: CellJson): Cell {
  const [count, errors, sum, max, h] = j;
  const c: Cell = { count, errors, sum, max };
  if (h) c.hist = LogHistogram.fromJSON(h);
  return c;
}
