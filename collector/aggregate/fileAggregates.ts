// Ingest-time aggregates per source location: (file, line, kind span|log). They answer the
// editor's "everything for this file" (CodeLens, hovers) from memory, without SQL.
// Granularity, chosen for memory: minute cells (calls, errors, duration sum/max) for the
// last 24 h feed the sparkline and per-minute rates; hour cells (calls, errors, a mergeable
// LogHistogram of durations, log counts by severity) for the aggregate retention (30 days)
// feed p50/p95. Both are filled at ingest, so "rolling up" is dropping minute cells.
// Contract: fed only with rows that carry a location; exact regardless of raw sampling.
import { LogHistogram } from '../model/histogram';
import type { HistogramJson } from '../model/histogram';
import type { FileSummary, LineStats } from '../model/queries';
import { rowFailed, type LogRow, type SpanRow } from '../store/rows';
import { severityName } from '../model/severity';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const MAX_NAMES = 16;
const RECENT_TRACES = 5;
/** Distinct locations kept; rows at new locations past this are counted in `overflow`. */
export const MAX_LOCATIONS = 50_000;

interface MinuteCell { c: number; e: number; s: number; m: number }
interface HourCell { c: number; e: number; h: LogHistogram; sev?: Record<string, number> }

interface LocAgg {
  file: string;
  line: number;
  kind: 'span' | 'log';
  fn?: string;
  names: Map<string, number>;
  recent: string[];
  last: number;
  minutes: Map<number, MinuteCell>;
  hours: Map<number, HourCell>;
}

export interface LocAggJson {
  f: string; l: number; k: 'span' | 'log'; fn?: string; names: [string, number][]; recent: string[]; last: number;
  min: [number, number, number, number, number][];
  hrs: [number, number, number, HistogramJson, Record<string, number> | null][];
}


export class FileAggregates {
  private readonly byFile = new Map<string, Map<string, LocAgg>>();
  private locations = 0;
  /** Rows not aggregated because MAX_LOCATIONS was reached. */
  overflow = 0;

  addSpan(s: SpanRow): void {
    if (!s.f || !s.l) return;
    const a = this.loc(s.f, s.l, 'span', s.fn);
    if (!a) return;
    this.count(a, s.s, rowFailed(s), s.d, s.t);
    a.names.set(s.n, (a.names.get(s.n) ?? 0) + 1);
    if (a.names.size > MAX_NAMES) dropRarest(a.names);
  }

  addLog(l: LogRow): void {
    if (!l.f || !l.l) return;
    const a = this.loc(l.f, l.l, 'log', l.fn);
    if (!a) return;
    const hour = this.count(a, l.s, l.sn >= 17, undefined, l.t);
    const sev = severityName(l.sn, l.st);
    hour.sev ??= {};
    hour.sev[sev] = (hour.sev[sev] ?? 0) + 1;
  }

  files(): string[] {
    return [...this.byFile.keys()].sort();
  }

  /** Lines of `file` with data; calls, errors and percentiles over the last `windowMs`. */
  summary(file: string, nowMs: number, windowMs: number): FileSummary {
    const locs = this.byFile.get(file);
    if (!locs) return { file, lines: [] };
    const fromHour = Math.floor((nowMs - windowMs) / HOUR_MS) * HOUR_MS;
    const nowMin = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const lines: LineStats[] = [];
    for (const a of locs.values()) {
      let calls = 0;
      let errors = 0;
      const h = new LogHistogram();
      let sev: Record<string, number> | undefined;
      for (const [t, cell] of a.hours) {
        if (t < fromHour) continue;
        calls += cell.c;
        errors += cell.e;
        if (a.kind === 'span') h.merge(cell.h);
        if (cell.sev) {
          sev ??= {};
          for (const [k, v] of Object.entries(cell.sev)) sev[k] = (sev[k] ?? 0) + v;
        }
      }
      const perMinute: number[] = [];
      for (let i = 29; i >= 0; i--) perMinute.push(a.minutes.get(nowMin - i * MINUTE_MS)?.c ?? 0);
      const ls: LineStats = {
        line: a.line,
        kind: a.kind,
        calls,
        errors,
        lastSeenMs: a.last,
        names: [...a.names.entries()].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([n]) => n),
        recentTraceIds: [...a.recent],
        perMinute,
      };
      if (a.fn) ls.function = a.fn;
      if (a.kind === 'span' && h.count) {
        ls.p50Ms = h.quantile(0.5);
        ls.p95Ms = h.quantile(0.95);
      }
      if (sev) ls.logsBySeverity = sev;
      lines.push(ls);
    }
    lines.sort((x, y) => x.line - y.line || (x.kind < y.kind ? -1 : 1));
    return { file, lines };
  }

  /** Drops minute cells older than `minuteCutoff`, hour cells older than `hourCutoff`, and
   *  locations left with nothing; merges hour cells older than `dayCutoff` into one cell per
   *  day (keyed at midnight UTC), which keeps 30 days of a busy location ~9x smaller. */
  prune(minuteCutoff: number, hourCutoff: number, dayCutoff = -Infinity): void {
    for (const [file, locs] of this.byFile) {
      for (const [key, a] of locs) {
        for (const t of a.minutes.keys()) if (t < minuteCutoff) a.minutes.delete(t);
        for (const t of a.hours.keys()) if (t < hourCutoff) a.hours.delete(t);
        for (const t of [...a.hours.keys()]) {
          const day = Math.floor(t / DAY_MS) * DAY_MS;
          if (t >= dayCutoff || day === t) continue;
          const cell = a.hours.get(t)!;
          a.hours.delete(t);
          const target = a.hours.get(day);
          if (target) mergeCell(target, cell);
          else a.hours.set(day, cell);
        }
        if (a.hours.size === 0) {
          locs.delete(key);
          this.locations--;
        }
      }
      if (locs.size === 0) this.byFile.delete(file);
    }
  }

  clear(): void {
    this.byFile.clear();
    this.locations = 0;
  }

  toJSON(): LocAggJson[] {
    const out: LocAggJson[] = [];
    for (const locs of this.byFile.values()) {
      for (const a of locs.values()) {
        const j: LocAggJson = {
          f: a.file, l: a.line, k: a.kind, names: [...a.names], recent: a.recent, last: a.last,
          min: [...a.minutes].map(([t, c]) => [t, c.c, c.e, c.s, c.m]),
          hrs: [...a.hours].map(([t, c]) => [t, c.c, c.e, c.h.toJSON(), c.sev ?? null]),
        };
        if (a.fn) j.fn = a.fn;
        out.push(j);
      }
    }
    return out;
  }

  load(items: LocAggJson[]): void {
    this.clear();
    for (const j of items) {
      const a = this.loc(j.f, j.l, j.k, j.fn);
      if (!a) continue;
      a.names = new Map(j.names);
      a.recent = j.recent;
      a.last = j.last;
      for (const [t, c, e, s, m] of j.min) a.minutes.set(t, { c, e, s, m });
      for (const [t, c, e, h, sev] of j.hrs) a.hours.set(t, { c, e, h: LogHistogram.fromJSON(h), ...(sev ? { sev } : {}) });
    }
  }

  private loc(file: string, line: number, kind: 'span' | 'log', fn?: string): LocAgg | undefined {
    let locs = this.byFile.get(file);
    const key = `${line}:${kind}`;
    if (!locs?.has(key) && this.locations >= MAX_LOCATIONS) {
      this.overflow++;
      return undefined;
    }
    if (!locs) {
      locs = new Map();
      this.byFile.set(file, locs);
    }
    let a = locs.get(key);
    if (!a) {
      a = { file, line, kind, names: new Map(), recent: [], last: 0, minutes: new Map(), hours: new Map() };
      locs.set(key, a);
      this.locations++;
    }
    if (fn && !a.fn) a.fn = fn;
    return a;
  }

  private count(a: LocAgg, tMs: number, error: boolean, durMs: number | undefined, traceId: string | undefined): HourCell {
    const minute = Math.floor(tMs / MINUTE_MS) * MINUTE_MS;
    const hour = Math.floor(tMs / HOUR_MS) * HOUR_MS;
    let m = a.minutes.get(minute);
    if (!m) {
      m = { c: 0, e: 0, s: 0, m: 0 };
      a.minutes.set(minute, m);
    }
    let h = a.hours.get(hour);
    if (!h) {
      h = { c: 0, e: 0, h: new LogHistogram() };
      a.hours.set(hour, h);
    }
    m.c++;
    h.c++;
    if (error) {
      m.e++;
      h.e++;
    }
    if (durMs !== undefined) {
      m.s += durMs;
      if (durMs > m.m) m.m = durMs;
      h.h.add(durMs);
    }
    if (tMs >= a.last) {
      a.last = tMs;
      if (traceId && a.recent[0] !== traceId) {
        a.recent = [traceId, ...a.recent.filter((t) => t !== traceId)].slice(0, RECENT_TRACES);
      }
    }
    return h;
  }
}

function mergeCell(into: HourCell, from: HourCell): void {
  into.c += from.c;
  into.e += from.e;
  into.h.merge(from.h);
  if (from.sev) {
    into.sev ??= {};
    for (const [k, v] of Object.entries(from.sev)) into.sev[k] = (into.sev[k] ?? 0) + v;
  }
}

function dropRarest(names: Map<string, number>): void {
  let min = Infinity;
  let key: string | undefined;
  for (const [k, v] of names) if (v < min) { min = v; key = k; }
  if (key !== undefined) names.delete(key);
}
