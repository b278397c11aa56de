// Series per source line: (file, line, signal span|log), all services together. They answer
// the editor's "everything for this file" (CodeLens, hovers) from memory, without SQL.
// Granularity, chosen for memory: minute cells (calls, errors, duration sum/max) for the
// last 24 h feed the sparkline and per-minute rates; hour cells (the same plus a mergeable
// LogHistogram of durations, log counts by severity) for the aggregate retention (30 days)
// feed p50/p95. Both are filled at ingest, so "rolling up" is dropping minute cells.
// Contract: fed only with rows that carry a counted location; exact regardless of raw sampling.
import type { HistogramJson } from '../model/histogram';
import type { FileSummary, LineStats } from '../model/queries';
import { rowFailed, type LogRow, type SpanRow } from '../store/rows';
import { severityName } from '../model/severity';
import { cellFromJson, cellToJson, mergeCell, newCell, observe, type Cell, type CellJson } from './cell';
import { lineKey } from './seriesKey';
import { SeriesTable } from './seriesTable';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const MAX_NAMES = 16;
const RECENT_TRACES = 5;
/** Distinct lines kept; rows at new lines past this are counted in `overflow`. */
export const MAX_LOCATIONS = 50_000;

interface HourCell extends Cell {
  sev?: Record<string, number>;
}

interface LineEntry {
  file: string;
  line: number;
  kind: 'span' | 'log';
  fn?: string;
  names: Map<string, number>;
  recent: string[];
  last: number;
  minutes: Map<number, Cell>;
  hours: Map<number, HourCell>;
}

export interface LineJson {
  f: string; l: number; k: 'span' | 'log'; fn?: string; names: [string, number][]; recent: string[]; last: number;
  min: [number, CellJson][];
  hrs: [number, CellJson, Record<string, number> | null][];
}

export class LineSeries {
  private readonly table = new SeriesTable<LineEntry>({ max: MAX_LOCATIONS, policy: 'refuse', groupOf: (e) => e.file });

  /** Rows not aggregated because MAX_LOCATIONS was reached. */
  get overflow(): number {
    return this.table.overflow;
  }

  addSpan(s: SpanRow): void {
    if (!s.f || !s.l) return;
    const a = this.entry(s.f, s.l, 'span', s.fn);
    if (!a) return;
    this.count(a, s.s, rowFailed(s), s.d, s.t);
    a.names.set(s.n, (a.names.get(s.n) ?? 0) + 1);
    if (a.names.size > MAX_NAMES) dropRarest(a.names);
  }

  addLog(l: LogRow): void {
    if (!l.f || !l.l) return;
    const a = this.entry(l.f, l.l, 'log', l.fn);
    if (!a) return;
    const hour = this.count(a, l.s, l.sn >= 17, undefined, l.t);
    const sev = severityName(l.sn, l.st);
    hour.sev ??= {};
    hour.sev[sev] = (hour.sev[sev] ?? 0) + 1;
  }

  files(): string[] {
    return this.table.groupNames().sort();
  }

  /** Lines of `file` with data; calls, errors and percentiles over the last `windowMs`. */
  summary(file: string, nowMs: number, windowMs: number): FileSummary {
    const fromHour = Math.floor((nowMs - windowMs) / HOUR_MS) * HOUR_MS;
    const nowMin = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const lines: LineStats[] = [];
    for (const [, a] of this.table.group(file)) {
      const total = newCell(a.kind === 'span');
      let sev: Record<string, number> | undefined;
      for (const [t, cell] of a.hours) {
        if (t < fromHour) continue;
        mergeCell(total, cell);
        if (cell.sev) {
          sev ??= {};
          for (const [k, v] of Object.entries(cell.sev)) sev[k] = (sev[k] ?? 0) + v;
        }
      }
      const perMinute: number[] = [];
      for (let i = 29; i >= 0; i--) perMinute.push(a.minutes.get(nowMin - i * MINUTE_MS)?.count ?? 0);
      const ls: LineStats = {
        line: a.line,
        kind: a.kind,
        calls: total.count,
        errors: total.errors,
        lastSeenMs: a.last,
        names: [...a.names.entries()].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([n]) => n),
        recentTraceIds: [...a.recent],
        perMinute,
      };
      if (a.fn) ls.function = a.fn;
      if (a.kind === 'span' && total.hist?.count) {
        ls.p50Ms = total.hist.quantile(0.5);
        ls.p95Ms = total.hist.quantile(0.95);
      }
      if (sev) ls.logsBySeverity = sev;
      lines.push(ls);
    }
    lines.sort((x, y) => x.line - y.line || (x.kind < y.kind ? -1 : 1));
    return { file, lines };
  }

  /** Drops minute cells older than `minuteCutoff`, hour cells older than `hourCutoff`, and
   *  lines left with nothing; merges hour cells older than `dayCutoff` into one cell per
   *  day (keyed at midnight UTC), which keeps 30 days of a busy line ~9x smaller. */
  prune(minuteCutoff: number, hourCutoff: number, dayCutoff = -Infinity): void {
    for (const [key, a] of [...this.table]) {
      for (const t of a.minutes.keys()) if (t < minuteCutoff) a.minutes.delete(t);
      for (const t of a.hours.keys()) if (t < hourCutoff) a.hours.delete(t);
      for (const t of [...a.hours.keys()]) {
        const day = Math.floor(t / DAY_MS) * DAY_MS;
        if (t >= dayCutoff || day === t) continue;
        const cell = a.hours.get(t)!;
        a.hours.delete(t);
        const target = a.hours.get(day);
        if (target) mergeHour(target, cell);
        else a.hours.set(day, cell);
      }
      if (a.hours.size === 0) this.table.delete(key);
    }
  }

  clear(): void {
    this.table.clear();
  }

  toJSON(): LineJson[] {
    const out: LineJson[] = [];
    for (const a of this.table.values()) {
      const j: LineJson = {
        f: a.file, l: a.line, k: a.kind, names: [...a.names], recent: a.recent, last: a.last,
        min: [...a.minutes].map(([t, c]) => [t, cellToJson(c)]),
        hrs: [...a.hours].map(([t, c]) => [t, cellToJson(c), c.sev ?? null]),
      };
      if (a.fn) j.fn = a.fn;
      out.push(j);
    }
    return out;
  }

  load(items: LineJson[]): void {
    this.clear();
    for (const j of items) {
      const a = this.entry(j.f, j.l, j.k, j.fn);
      if (!a) continue;
      a.names = new Map(j.names);
      a.recent = j.recent;
      a.last = j.last;
      for (const [t, c] of j.min) a.minutes.set(t, cellFromJson(c));
      for (const [t, c, sev] of j.hrs) a.hours.set(t, { ...cellFromJson(c), ...(sev ? { sev } : {}) });
    }
  }

  private entry(file: string, line: number, kind: 'span' | 'log', fn?: string): LineEntry | undefined {
    const a = this.table.ensure(lineKey(file, line, kind), () => ({ file, line, kind, names: new Map(), recent: [], last: 0, minutes: new Map(), hours: new Map() }));
    if (a && fn && !a.fn) a.fn = fn;
    return a;
  }

  private count(a: LineEntry, tMs: number, error: boolean, durMs: number | undefined, traceId: string | undefined): HourCell {
    const minute = Math.floor(tMs / MINUTE_MS) * MINUTE_MS;
    const hour = Math.floor(tMs / HOUR_MS) * HOUR_MS;
    let m = a.minutes.get(minute);
    if (!m) a.minutes.set(minute, (m = newCell(false)));
    let h = a.hours.get(hour);
    if (!h) a.hours.set(hour, (h = newCell(a.kind === 'span')));
    observe(m, durMs, error);
    observe(h, durMs, error);
    if (tMs >= a.last) {
      a.last = tMs;
      if (traceId && a.recent[0] !== traceId) {
        a.recent = [traceId, ...a.recent.filter((t) => t !== traceId)].slice(0, RECENT_TRACES);
      }
    }
    return h;
  }
}

function mergeHour(into: HourCell, from: HourCell): void {
  mergeCell(into, from);
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

/** A line of a version 1 checkpoint (before cells were one shape): migrated as it is. */
export interface LineJsonV1 {
  f: string; l: number; k: 'span' | 'log'; fn?: string; names: [string, number][]; recent: string[]; last: number;
  min: [number, number, number, number, number][];
  hrs: [number, number, number, HistogramJson, Record<string, number> | null][];
}

export function migrateLineV1(j: LineJsonV1): LineJson {
  return {
    f: j.f, l: j.l, k: j.k, ...(j.fn ? { fn: j.fn } : {}), names: j.names, recent: j.recent, last: j.last,
    min: j.min.map(([t, c, e, s, m]) => [t, [c, e, s, m, null]]),
    // v1 kept an (empty) histogram on log lines too; sum and max were not kept per hour.
    hrs: j.hrs.map(([t, c, e, h, sev]) => [t, [c, e, h.count ? h.sum : 0, h.count ? h.max : 0, j.k === 'span' ? h : null], sev]),
  };
}
