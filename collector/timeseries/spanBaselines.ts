// Minute series of spans per endpoint (service + `METHOD route` of server spans) and per
// counted code location (service + file:line): what the analysis baselines, detectors and
// alerts read for spans. Folded by the store from the same journal records as the lens lines,
// with the same error rule and the same counted location, and saved in the same checkpoint,
// so a lens and an alert agree about a line, also after a restart.
// Bounded: at most `maxSeries` series; a new one past that replaces the stalest (counted).
import type { LocationView } from '../model/queries';
import { SpanKind } from '../model/types';
import { rowFailed, type RowBatch, type SpanRow } from '../store/rows';
import { Series, type SeriesJson } from './minuteSeries';
import { endpointKey, locationKey, metricKey, parseSeriesKey } from './seriesKey';
import { SeriesTable } from './seriesTable';

export interface SpanBaselineSettings {
  windowMinutes: number;
  maxSeries: number;
  /** What the checkpoint keeps (see Series.toJSON): series updated in the last
   *  `persistMinutes`, their buckets of that span; histograms coarsened by `persistCoarsen`
   *  and summarised beyond `persistFullMinutes`. */
  persistMinutes: number;
  persistCoarsen: number;
  persistFullMinutes: number;
}

/** The analysis defaults (collector/analysis/settings.ts), until the analysis configures. */
export const DEFAULT_SPAN_BASELINES: SpanBaselineSettings = { windowMinutes: 60, maxSeries: 2000, persistMinutes: 30, persistCoarsen: 4, persistFullMinutes: 15 };

export class SpanBaselines {
  private s: SpanBaselineSettings = DEFAULT_SPAN_BASELINES;
  private table = this.makeTable();

  /** Set once by the analysis, before the store loads its checkpoint. */
  configure(s: Partial<SpanBaselineSettings>): void {
    this.s = { ...this.s, ...s };
    const old = [...this.table];
    this.table = this.makeTable();
    for (const [k, v] of old) this.table.set(k, v);
  }

  get overflow(): number {
    return this.table.overflow;
  }

  get(key: string): Series | undefined {
    return this.table.get(key);
  }

  has(key: string): boolean {
    return this.table.has(key);
  }

  values(): IterableIterator<Series> {
    return this.table.values();
  }

  get size(): number {
    return this.table.size;
  }

  /** Counts the spans of one journal record. */
  addRows(rb: RowBatch): void {
    const old = rb.rv === undefined;
    for (const s of rb.sp) {
      const at = s.s + s.d;
      const error = rowFailed(s);
      if (s.k === SpanKind.Server && s.r !== undefined) {
        const method = s.hm ?? (old ? methodFromAttributes(s.a) : undefined);
        const name = method ? `${method} ${s.r}` : s.r;
        const se = this.series(endpointKey(s.sv, name), 'endpoint', s.sv, name);
        se.addCall(at, s.d, error);
        // The newest placement wins; parsed only when the line differs from the one kept.
        if (!se.location || !s.f || se.location.file !== s.f || se.location.line !== s.l) {
          const loc = rowLocation(s);
          if (loc) se.location = loc;
        }
      }
      if (s.f && s.l) {
        const name = `${s.f}:${s.l}`;
        const se = this.series(locationKey(s.sv, s.f, s.l), 'location', s.sv, name);
        se.addCall(at, s.d, error);
        se.location ??= rowLocation(s);
      }
    }
  }

  clear(): void {
    this.table.clear();
  }

  toJSON(nowMs: number): SeriesJson[] {
    const cutoff = nowMs - this.s.persistMinutes * 60_000;
    const opts = { lastMinutes: this.s.persistMinutes, coarsen: this.s.persistCoarsen, fullMinutes: this.s.persistFullMinutes };
    return [...this.table.values()].filter((se) => se.lastMinuteMs >= cutoff).map((se) => se.toJSON(opts));
  }

  load(items: SeriesJson[]): void {
    this.table.clear();
    for (const j of items) if (j.kind !== 'metric') this.table.set(j.key, Series.fromJSON(rekey(j), this.s.windowMinutes));
  }

  private series(key: string, kind: 'endpoint' | 'location', service: string, name: string): Series {
    return this.table.ensure(key, () => new Series(key, kind, service, name, this.s.windowMinutes))!;
  }

  private makeTable(): SeriesTable<Series> {
    return new SeriesTable<Series>({ max: this.s.maxSeries, policy: 'evictStalest', lastMs: (se) => se.lastMinuteMs });
  }
}

/** A saved series under the one key encoding (keys saved before it had the same form
 *  except for values holding `|` or `%`, which are escaped now). */
export function rekey(j: SeriesJson): SeriesJson {
  if (parseSeriesKey(j.key)) return j;
  if (j.kind === 'endpoint') return { ...j, key: endpointKey(j.service, j.name) };
  if (j.kind === 'location' && j.location) return { ...j, key: locationKey(j.service, j.location.file, j.location.line) };
  const prefix = `m|${j.service}|${j.name}|`;
  if (j.kind === 'metric' && j.key.startsWith(prefix)) return { ...j, key: metricKey(j.service, j.name, j.key.slice(prefix.length)) };
  return j;
}

/** The span's full location (column, function), or its counted line. */
function rowLocation(s: SpanRow): LocationView | undefined {
  if (s.loc) {
    try {
      const l = JSON.parse(s.loc) as { file?: unknown; line?: unknown; column?: unknown; function?: unknown };
      if (typeof l.file === 'string' && typeof l.line === 'number') {
        const v: LocationView = { file: l.file, line: l.line };
        if (typeof l.column === 'number') v.column = l.column;
        if (typeof l.function === 'string') v.function = l.function;
        return v;
      }
    } catch {
      // not JSON: fall back to the row's columns
    }
  }
  if (!s.f || !s.l) return undefined;
  return s.fn ? { file: s.f, line: s.l, function: s.fn } : { file: s.f, line: s.l };
}

/** For rows journaled before `hm`: the method from the attributes JSON. */
function methodFromAttributes(a: string): string | undefined {
  try {
    const attrs = JSON.parse(a) as Record<string, unknown>;
    for (const k of ['http.request.method', 'http.method']) {
      const v = attrs[k];
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    }
  } catch {
    // not JSON: no method
  }
  return undefined;
}
