// One-minute buckets of a series (the baselines the detectors and alerts read): each a cell
// (calls or points, errors, sum and max of the values, a LogHistogram of durations or values)
// plus the number of gauge-like values, whose mean is the minute's value. Bounded: at most
// `windowMinutes` buckets per series.
import type { HistogramJson } from '../model/histogram';
import { LogHistogram } from '../model/histogram';
import type { BucketView, LocationView, SeriesSummary, SeriesSignal } from '../model/queries';
import { mergeCell, observe, type Cell } from './cell';

export const MINUTE_MS = 60_000;

export interface Bucket extends Cell {
  m: number;
  hist: LogHistogram;
  /** Values counted for the minute's mean (gauges, sums); `sum` is their sum. */
  vcount: number;
}

export interface SeriesJson {
  key: string;
  kind: SeriesSummary['kind'];
  service: string;
  name: string;
  unit?: string;
  location?: LocationView;
  metricKind?: string;
  limit?: number;
  /** Packed buckets (see `packBucket`): the saved state is mostly these. */
  buckets: number[][];
}

const num = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(7)) : 0);

/** `[minute index, count, errors, vsum, vcount, form, ...]`; form 0: no histogram; form 1:
 *  the histogram `[zero, sum, min, max, n, first index, n-1 index deltas, n counts]`; form 2:
 *  only `[histogram count, p50, p95]` (what the detectors read; rebuilt on load as a
 *  two-point histogram). */
export function packBucket(b: Bucket, form: 1 | 2, coarsenBy: number): number[] {
  const head = [b.m / MINUTE_MS, b.count, b.errors, num(b.sum), b.vcount];
  const h = b.hist;
  if (!h.count) return [...head, 0];
  if (form === 2) return [...head, 2, h.count, num(h.quantile(0.5)), num(h.quantile(0.95))];
  const j = coarsen(h.toJSON(), coarsenBy);
  const deltas = j.i.slice(1).map((k, n) => k - j.i[n]);
  return [...head, 1, j.zero, num(j.sum), num(j.min), num(j.max), j.i.length, ...(j.i.length ? [j.i[0]] : []), ...deltas, ...j.c];
}

export function unpackBucket(a: number[]): Bucket {
  const [mi, count, errors, sum, vcount, form] = a;
  let hist = new LogHistogram();
  if (form === 1) {
    const [zero, sum, min, max, n] = a.slice(6, 11);
    const i: number[] = [];
    if (n) {
      i.push(a[11]);
      for (let k = 1; k < n; k++) i.push(i[k - 1] + a[11 + k]);
    }
    const c = a.slice(11 + n, 11 + 2 * n);
    hist = LogHistogram.fromJSON({ i, c, zero, count: zero + c.reduce((x, y) => x + y, 0), sum, min, max });
  } else if (form === 2) {
    const [n, p50, p95] = a.slice(6, 9);
    const low = Math.ceil(n / 2);
    hist.add(p50, low);
    hist.add(p95, n - low);
  }
  return { m: mi * MINUTE_MS, count, errors, hist, sum, max: hist.count ? hist.max : 0, vcount };
}

/** Merges every `n` adjacent log buckets into the one with the largest index of the group. */
export function coarsen(j: HistogramJson, n: number): HistogramJson {
  if (n <= 1) return j;
  const merged = new Map<number, number>();
  j.i.forEach((k, idx) => {
    const ck = Math.ceil(k / n) * n;
    merged.set(ck, (merged.get(ck) ?? 0) + j.c[idx]);
  });
  const keys = [...merged.keys()].sort((a, b) => a - b);
  return { ...j, i: keys, c: keys.map((k) => merged.get(k)!) };
}

export class Series {
  readonly buckets = new Map<number, Bucket>();
  lastMinuteMs = 0;
  location?: LocationView;
  unit?: string;
  /** For metrics: what the minute's `value` is (gauge mean, sum delta, histogram p95). */
  metricKind?: string;
  /** A known upper limit for trend detection (from an attribute, a sibling metric or a setting). */
  limit?: number;

  constructor(
    readonly key: string,
    readonly kind: SeriesSummary['kind'],
    readonly service: string,
    readonly name: string,
    private readonly windowMinutes: number,
  ) {}

  bucket(atMs: number): Bucket | undefined {
    const m = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
    // Too old for the window: not counted (late data older than the window is rare and harmless).
    if (m <= this.lastMinuteMs - this.windowMinutes * MINUTE_MS) return undefined;
    let b = this.buckets.get(m);
    if (!b) {
      b = { m, count: 0, errors: 0, sum: 0, max: 0, hist: new LogHistogram(), vcount: 0 };
      this.buckets.set(m, b);
      if (m > this.lastMinuteMs) {
        this.lastMinuteMs = m;
        const cutoff = m - this.windowMinutes * MINUTE_MS;
        for (const k of this.buckets.keys()) if (k <= cutoff) this.buckets.delete(k);
      }
    }
    return b;
  }

  addCall(atMs: number, durMs: number, error: boolean): void {
    const b = this.bucket(atMs);
    if (b) observe(b, durMs, error);
  }

  addValue(atMs: number, value: number): void {
    const b = this.bucket(atMs);
    if (!b) return;
    b.count++;
    b.sum += value;
    b.vcount++;
    if (value > b.max) b.max = value;
    // Only positive values have a place in the log histogram (a gauge at 0 is not a latency).
    if (value > 0) b.hist.add(value);
  }

  /** The minute's value of a signal, or undefined when the minute has too little data. */
  value(b: Bucket | undefined, signal: SeriesSignal, minCalls = 1): number | undefined {
    if (!b) return undefined;
    switch (signal) {
      case 'rate':
        return b.count;
      case 'errorRate':
        return b.count >= minCalls ? b.errors / b.count : undefined;
      case 'p95':
        return b.hist.count >= minCalls ? b.hist.quantile(0.95) : undefined;
      case 'value':
        if (this.metricKind === 'histogram') return b.hist.count ? b.hist.quantile(0.95) : undefined;
        if (this.metricKind === 'delta') return b.sum;
        return b.vcount ? b.sum / b.vcount : undefined;
    }
  }

  /** Values of complete minutes in [fromMs, toMs), oldest first, with their minute. */
  values(signal: SeriesSignal, fromMs: number, toMs: number, minCalls = 1): { m: number; v: number }[] {
    const out: { m: number; v: number }[] = [];
    for (const b of this.buckets.values()) {
      if (b.m < fromMs || b.m >= toMs) continue;
      const v = this.value(b, signal, minCalls);
      if (v !== undefined && Number.isFinite(v)) out.push({ m: b.m, v });
    }
    return out.sort((a, b) => a.m - b.m);
  }

  /** Merged calls/errors/histogram over [fromMs, toMs). */
  window(fromMs: number, toMs: number): Omit<Bucket, 'm'> {
    const acc = { count: 0, errors: 0, sum: 0, max: 0, hist: new LogHistogram(), vcount: 0 };
    for (const b of this.buckets.values()) {
      if (b.m < fromMs || b.m >= toMs) continue;
      mergeCell(acc, b);
      acc.vcount += b.vcount;
    }
    return acc;
  }

  summary(): SeriesSummary {
    return { key: this.key, kind: this.kind, service: this.service, name: this.name, unit: this.unit, lastMinuteMs: this.lastMinuteMs, location: this.location };
  }

  bucketViews(): BucketView[] {
    return [...this.buckets.values()]
      .sort((a, b) => a.m - b.m)
      .map((b) => ({
        minuteMs: b.m,
        count: b.count,
        errors: b.errors,
        p50: b.hist.count ? b.hist.quantile(0.5) : undefined,
        p95: b.hist.count ? b.hist.quantile(0.95) : undefined,
        value: this.kind === 'metric' ? this.value(b, 'value') : undefined,
      }));
  }

  /** For persistence: `lastMinutes` keeps only recent buckets; `coarsen` merges every n
   *  adjacent histogram buckets (n = 4: quantile error grows from ~1% to ~4%), which keeps the
   *  saved state several times smaller. */
  toJSON(opts: { lastMinutes?: number; coarsen?: number; fullMinutes?: number } = {}): SeriesJson {
    const from = opts.lastMinutes ? this.lastMinuteMs - (opts.lastMinutes - 1) * MINUTE_MS : -Infinity;
    const fullFrom = opts.fullMinutes ? this.lastMinuteMs - (opts.fullMinutes - 1) * MINUTE_MS : -Infinity;
    return {
      key: this.key, kind: this.kind, service: this.service, name: this.name, unit: this.unit, location: this.location,
      metricKind: this.metricKind, limit: this.limit,
      buckets: [...this.buckets.values()]
        .filter((b) => b.m >= from)
        .map((b) => packBucket(b, b.m >= fullFrom ? 1 : 2, opts.coarsen ?? 1)),
    };
  }

  static fromJSON(j: SeriesJson, windowMinutes: number): Series {
    const s = new Series(j.key, j.kind, j.service, j.name, windowMinutes);
    s.unit = j.unit;
    s.location = j.location;
    s.metricKind = j.metricKind;
    s.limit = j.limit;
    for (const packed of j.buckets) {
      const b = unpackBucket(packed);
      s.buckets.set(b.m, b);
      if (b.m > s.lastMinuteMs) s.lastMinuteMs = b.m;
    }
    return s;
  }
}
