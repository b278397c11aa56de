// Reads back, in journal order, the records every ingest collector of a team stored in
// ClickHouse: what the one process that analyses for the team (process/teamAnalysis.ts)
// folds into its series and its analysis. Exactly once, in order, per origin:
//  - an ingest collector writes a progress row (origin, seq) after each insert round that
//    stored every table's rows of its records up to `seq` (inserter.ts), so rows past the
//    newest progress row may still be arriving, and rows up to it are all there;
//  - the tail keeps a cursor per origin (the last sequence it delivered) and reads the
//    records in (cursor, progress] — at most `maxRecords` of them per origin per poll —
//    ordered by (seq, ix), one TelemetryBatch per record;
//  - cursors are the caller's to save with what it derived from the records (the series
//    checkpoint): a restart resumes from them and neither skips nor repeats a record.
// What is not stored is not given back: span links, scopes, a metric point's start time and
// description. Nothing the analysis or the series read is among them.
import type { Attributes, LogRecord, MetricPoint, Resource, Span, SpanEvent, TelemetryBatch } from '../../model/types';
import { emptyBatch } from '../../model/types';
import { revisionOf } from '../../model/revision';
import type { ChConn } from './conn';
import { LOGS, METRICS, PROGRESS, SPANS } from './schema';
import { int, str } from './sqlText';
import { attrsFrom, msToNsText } from './tableRows';

export interface TailRecord {
  origin: string;
  seq: number;
  batch: TelemetryBatch;
}

export interface RecordTailOptions {
  conn: ChConn;
  /** Qualified read table (Distributed in a cluster). */
  table: (t: string) => string;
  /** Records read per origin per poll. Default 200. */
  maxRecords?: number;
}

interface SpanCols {
  seq: string; time_ns: string; trace_id: string; span_id: string; parent_id: string; name: string; kind: number; service: string;
  dur_ms: number; status: number; status_msg: string; loc: string; attr_keys: string[]; attr_values: string[]; events: string; resource: string; revision: string;
}
interface LogCols {
  seq: string; time_ns: string; sev: number; sev_text: string; body: string; attr_keys: string[]; attr_values: string[]; service: string;
  trace_id: string; span_id: string; file: string; line: number; fn: string; resource: string;
}
interface MetricCols {
  seq: string; time_ns: string; name: string; kind: string; unit: string; service: string; attrs_key: string; value: number; count: number;
  sum: number; min: number | null; max: number | null; detail: string; resource: string;
}

const SCOPE = { name: 'vibewatch.stored' };

export class RecordTail {
  /** origin → the last sequence delivered. */
  readonly cursors = new Map<string, number>();
  private readonly maxRecords: number;

  constructor(private readonly o: RecordTailOptions) {
    this.maxRecords = o.maxRecords ?? 200;
  }

  /** Cursors as saved with a checkpoint, and back. */
  saveCursors(): Record<string, number> {
    return Object.fromEntries(this.cursors);
  }

  restoreCursors(saved: Record<string, number> | undefined): void {
    this.cursors.clear();
    for (const [origin, seq] of Object.entries(saved ?? {})) if (/^[0-9a-f]{16}$/.test(origin) && Number.isSafeInteger(seq) && seq >= 0) this.cursors.set(origin, seq);
  }

  /** The next records past the cursors (each origin's in order), advancing the cursors. */
  async poll(): Promise<TailRecord[]> {
    const out: TailRecord[] = [];
    for (const [origin, upTo] of await this.progress()) {
      const from = this.cursors.get(origin) ?? 0;
      if (upTo <= from) continue;
      const to = Math.min(upTo, from + this.maxRecords);
      out.push(...(await this.read(origin, from, to)));
      this.cursors.set(origin, to);
    }
    return out;
  }

  private async progress(): Promise<[string, number][]> {
    const rows = await this.o.conn.rows<{ origin: string; seq: string }>(`SELECT origin, max(seq) AS seq FROM ${this.o.table(PROGRESS)} GROUP BY origin ORDER BY origin`);
    return rows.map((r) => [r.origin, Number(r.seq)]);
  }

  private async read(origin: string, from: number, to: number): Promise<TailRecord[]> {
    const where = `origin = ${str(origin)} AND seq > ${int(from)} AND seq <= ${int(to)}`;
    const [spans, logs, metrics] = await Promise.all([
      this.o.conn.rows<SpanCols>(`SELECT seq, time_ns, trace_id, span_id, parent_id, name, kind, service, dur_ms, status, status_msg, loc, attr_keys, attr_values, events, resource, revision
        FROM ${this.o.table(SPANS)} WHERE ${where} ORDER BY seq, ix`),
      this.o.conn.rows<LogCols>(`SELECT seq, time_ns, sev, sev_text, body, attr_keys, attr_values, service, trace_id, span_id, file, line, fn, resource
        FROM ${this.o.table(LOGS)} WHERE ${where} ORDER BY seq, ix`),
      this.o.conn.rows<MetricCols>(`SELECT seq, time_ns, name, kind, unit, service, attrs_key, value, count, sum, min, max, detail, resource
        FROM ${this.o.table(METRICS)} WHERE ${where} ORDER BY seq, ix`),
    ]);
    const bySeq = new Map<number, TelemetryBatch>();
    const batchOf = (seq: string, timeNs: bigint): TelemetryBatch => {
      const q = Number(seq);
      let b = bySeq.get(q);
      if (!b) bySeq.set(q, (b = emptyBatch(timeNs)));
      return b;
    };
    const resources = new ResourceCache();
    for (const r of spans) {
      const s = toSpan(r, resources);
      batchOf(r.seq, s.startNs).spans.push(s);
    }
    for (const r of logs) {
      const l = toLog(r, resources);
      batchOf(r.seq, l.timeNs).logs.push(l);
    }
    for (const r of metrics) {
      const m = toMetric(r, resources);
      if (m) batchOf(r.seq, m.timeNs).metrics.push(m);
    }
    return [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([seq, batch]) => ({ origin, seq, batch }));
  }
}

/** One Resource object per distinct stored resource text (as the receiver shares one per batch). */
class ResourceCache {
  private readonly byKey = new Map<string, Resource>();

  get(text: string, service: string, revision?: string): Resource {
    const key = `${service}\n${revision ?? ''}\n${text}`;
    let r = this.byKey.get(key);
    if (!r) {
      let attributes: Attributes = {};
      try {
        const v = JSON.parse(text || '{}') as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v)) attributes = v as Attributes;
      } catch {
        // A resource that does not parse stays empty: its rows still count.
      }
      // Spans keep the revision they were stored with; logs and metric points, which have no
      // column for it, get it from the attributes as the receiver does (receiver/resource.ts).
      const rev = revision !== undefined ? revision : revisionOf(attributes);
      r = { attributes, serviceName: service, ...(rev ? { revision: rev } : {}) };
      this.byKey.set(key, r);
    }
    return r;
  }
}

/** Exact: a float of ms since the epoch times 1e6 would lose the low digits. */
const msToNs = (ms: number): bigint => BigInt(msToNsText(Number.isFinite(ms) && ms > 0 ? ms : 0));

function toSpan(r: SpanCols, resources: ResourceCache): Span {
  const startNs = BigInt(r.time_ns);
  const span: Span = {
    traceId: r.trace_id,
    spanId: r.span_id,
    name: r.name,
    kind: Number(r.kind),
    startNs,
    endNs: startNs + msToNs(Number(r.dur_ms)),
    status: { code: Number(r.status), ...(r.status_msg ? { message: r.status_msg } : {}) },
    attributes: attrsFrom(r.attr_keys, r.attr_values) as Attributes,
    events: r.events ? eventsOf(r.events) : [],
    links: [],
    resource: resources.get(r.resource, r.service, r.revision),
    scope: SCOPE,
  };
  if (r.parent_id) span.parentSpanId = r.parent_id;
  if (r.loc) {
    try {
      const loc = JSON.parse(r.loc) as Span['location'] & { issuedFrom?: Span['issuedFrom'] };
      if (loc && typeof loc === 'object') {
        if (loc.issuedFrom) span.issuedFrom = loc.issuedFrom;
        else if (typeof loc.file === 'string' && typeof loc.line === 'number') span.location = loc;
      }
    } catch {
      // An unreadable location leaves the span unplaced.
    }
  }
  return span;
}

function eventsOf(text: string): SpanEvent[] {
  try {
    const list = JSON.parse(text) as { name?: unknown; timeMs?: unknown; attributes?: unknown }[];
    if (!Array.isArray(list)) return [];
    return list.map((e) => ({
      name: typeof e.name === 'string' ? e.name : '',
      timeNs: msToNs(typeof e.timeMs === 'number' ? e.timeMs : 0),
      attributes: e.attributes && typeof e.attributes === 'object' ? (e.attributes as Attributes) : {},
    }));
  } catch {
    return [];
  }
}

function toLog(r: LogCols, resources: ResourceCache): LogRecord {
  const timeNs = BigInt(r.time_ns);
  const log: LogRecord = {
    timeNs,
    observedTimeNs: timeNs,
    severityNumber: Number(r.sev),
    body: r.body,
    attributes: attrsFrom(r.attr_keys, r.attr_values) as Attributes,
    resource: resources.get(r.resource, r.service),
    scope: SCOPE,
  };
  if (r.sev_text) log.severityText = r.sev_text;
  if (r.trace_id) log.traceId = r.trace_id;
  if (r.span_id) log.spanId = r.span_id;
  if (r.file) log.location = { file: r.file, line: Number(r.line), ...(r.fn ? { function: r.fn } : {}), via: 'stack', confidence: 1 };
  return log;
}

/** A stored metric point back as the model's point; the distribution detail is its `detail`. */
function toMetric(r: MetricCols, resources: ResourceCache): MetricPoint | undefined {
  let detail: Record<string, unknown> = {};
  try {
    detail = (JSON.parse(r.detail || '{}') as Record<string, unknown>) ?? {};
  } catch {
    // Without its detail a point still has its value.
  }
  let attributes: Attributes = {};
  try {
    const a = JSON.parse(r.attrs_key || '{}') as Attributes;
    delete a['service.name'];
    attributes = a;
  } catch {
    // Keyed without attributes.
  }
  const base = { metric: r.name, ...(r.unit ? { unit: r.unit } : {}), attributes, timeNs: BigInt(r.time_ns), resource: resources.get(r.resource, r.service), scope: SCOPE };
  const sent = detail.temporality as 'delta' | 'cumulative' | 'unspecified' | undefined;
  const temporality = sent ?? 'unspecified';
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  switch (r.kind) {
    case 'gauge':
    case 'sum':
      return { ...base, kind: r.kind, value: Number(r.value), ...(sent ? { temporality: sent } : {}), ...(typeof detail.monotonic === 'boolean' ? { monotonic: detail.monotonic } : {}) };
    case 'histogram':
      return { ...base, kind: 'histogram', temporality, count: Number(r.count), sum: Number(r.sum), ...optional('min', r.min), ...optional('max', r.max),
        bounds: (detail.bounds as number[] | undefined) ?? [], bucketCounts: ((detail.bucketCounts as number[] | undefined) ?? []).map(Number) };
    case 'exponentialHistogram':
      return { ...base, kind: 'exponentialHistogram', temporality, count: Number(r.count), sum: Number(r.sum), ...optional('min', r.min), ...optional('max', r.max),
        scale: num(detail.scale) ?? 0, zeroCount: num(detail.zeroCount) ?? 0,
        positive: (detail.positive as { offset: number; bucketCounts: number[] } | undefined) ?? { offset: 0, bucketCounts: [] },
        negative: (detail.negative as { offset: number; bucketCounts: number[] } | undefined) ?? { offset: 0, bucketCounts: [] } };
    case 'summary':
      return { ...base, kind: 'summary', count: Number(r.count), sum: Number(r.sum), quantiles: (detail.quantiles as { quantile: number; value: number }[] | undefined) ?? [] };
    default:
      return undefined;
  }
}

function optional<K extends string>(key: K, v: number | null): Partial<Record<K, number>> {
  return v === null || v === undefined ? {} : ({ [key]: Number(v) } as Record<K, number>);
}
