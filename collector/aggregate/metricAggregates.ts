// Per-series aggregates of metric points: a series is (metric name, attrsKey), where
// attrsKey is the canonical JSON of the point attributes plus `service.name`
// (collector/store/rows.ts). Minute buckets for the last 24 h, hour buckets for the
// aggregate retention. Bucket fields: `count` (points, or observations for histograms and
// summaries), `sum`, `min`, `max` of the values (histogram: of the observations when the
// point says), and `last` (the latest value: what a cumulative sum or a gauge is now).
import type { MetricRow } from '../store/rows';
import { HOUR_MS, MINUTE_MS } from './fileAggregates';

export interface MetricSeriesInfo {
  name: string;
  attrsKey: string;
  service: string;
  kind: string;
  unit?: string;
  lastMs: number;
  points: number;
}

export interface MetricBucket {
  startMs: number;
  widthMs: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  last: number;
}

interface Cell { n: number; s: number; mn: number; mx: number; last: number; lt: number }
interface Series { info: MetricSeriesInfo; minutes: Map<number, Cell>; hours: Map<number, Cell> }

export interface SeriesJson { info: MetricSeriesInfo; min: [number, Cell][]; hrs: [number, Cell][] }

/** Distinct series kept; points of new series past this are counted in `overflow`. */
export const MAX_SERIES = 10_000;

export class MetricAggregates {
  private readonly series = new Map<string, Series>();
  /** Points not aggregated because MAX_SERIES was reached (a cardinality explosion). */
  overflow = 0;

  add(m: MetricRow): void {
    const key = `${m.n}\u0000${m.ak}`;
    let s = this.series.get(key);
    if (!s && this.series.size >= MAX_SERIES) {
      this.overflow++;
      return;
    }
    if (!s) {
      s = { info: { name: m.n, attrsKey: m.ak, service: m.sv, kind: m.k, lastMs: 0, points: 0 }, minutes: new Map(), hours: new Map() };
      if (m.u) s.info.unit = m.u;
      this.series.set(key, s);
    }
    s.info.points++;
    if (m.s > s.info.lastMs) s.info.lastMs = m.s;
    const number = m.k === 'gauge' || m.k === 'sum';
    fold(s.minutes, Math.floor(m.s / MINUTE_MS) * MINUTE_MS, m, number);
    fold(s.hours, Math.floor(m.s / HOUR_MS) * HOUR_MS, m, number);
  }

  list(): MetricSeriesInfo[] {
    return [...this.series.values()].map((s) => ({ ...s.info })).sort((a, b) => a.name.localeCompare(b.name) || a.attrsKey.localeCompare(b.attrsKey));
  }

  /** Buckets since `sinceMs`, oldest first: hour buckets where minute buckets were pruned,
   *  minute buckets after. */
  buckets(name: string, attrsKey: string, sinceMs: number): MetricBucket[] {
    const s = this.series.get(`${name}\u0000${attrsKey}`);
    if (!s) return [];
    const minuteKeys = [...s.minutes.keys()].filter((t) => t >= sinceMs - MINUTE_MS + 1).sort((a, b) => a - b);
    const firstMinute = minuteKeys.length ? minuteKeys[0] : Infinity;
    const out: MetricBucket[] = [];
    for (const t of [...s.hours.keys()].sort((a, b) => a - b)) {
      if (t + HOUR_MS <= sinceMs || t + HOUR_MS > firstMinute) continue;
      out.push(bucket(t, HOUR_MS, s.hours.get(t)!));
    }
    for (const t of minuteKeys) out.push(bucket(t, MINUTE_MS, s.minutes.get(t)!));
    return out;
  }

  prune(minuteCutoff: number, hourCutoff: number): void {
    for (const [k, s] of this.series) {
      for (const t of s.minutes.keys()) if (t < minuteCutoff) s.minutes.delete(t);
      for (const t of s.hours.keys()) if (t < hourCutoff) s.hours.delete(t);
      if (s.hours.size === 0) this.series.delete(k);
    }
  }

  clear(): void {
    this.series.clear();
  }

  toJSON(): SeriesJson[] {
    return [...this.series.values()].map((s) => ({ info: s.info, min: [...s.minutes], hrs: [...s.hours] }));
  }

  load(items: SeriesJson[]): void {
    this.clear();
    // JSON turns the ±Infinity of an empty min/max into null: turn it back.
    const cells = (xs: [number, Cell][]): Map<number, Cell> =>
      new Map(xs.map(([t, c]) => [t, { ...c, mn: c.mn ?? Infinity, mx: c.mx ?? -Infinity, lt: c.lt ?? -Infinity }]));
    for (const j of items) this.series.set(`${j.info.name}\u0000${j.info.attrsKey}`, { info: j.info, minutes: cells(j.min), hours: cells(j.hrs) });
  }
}

function fold(cells: Map<number, Cell>, t: number, m: MetricRow, number: boolean): void {
  let c = cells.get(t);
  if (!c) {
    c = { n: 0, s: 0, mn: Infinity, mx: -Infinity, last: 0, lt: -Infinity };
    cells.set(t, c);
  }
  c.n += number ? 1 : m.c;
  c.s += m.sum;
  const lo = number ? m.v : m.mn;
  const hi = number ? m.v : m.mx;
  if (lo !== undefined && lo < c.mn) c.mn = lo;
  if (hi !== undefined && hi > c.mx) c.mx = hi;
  if (m.s >= c.lt) {
    c.lt = m.s;
    c.last = m.v;
  }
}

function bucket(t: number, width: number, c: Cell): MetricBucket {
  return { startMs: t, widthMs: width, count: c.n, sum: c.s, min: Number.isFinite(c.mn) ? c.mn : null, max: Number.isFinite(c.mx) ? c.mx : null, last: c.last };
}
