// Journal records (store/rows.ts RowBatch) as ClickHouse rows, and ClickHouse rows back as
// the query shapes (model/queries.ts). One row per span, log record and metric point, named
// by (origin, seq, ix): the collector's id, the journal sequence and the row's index within
// its table's part of the batch — so a replay can ask which rows are already stored.
// Values that JSON cannot carry into a non-null column (NaN, ±Infinity from a metric) are
// written as 0 / null rather than failing the whole insert.
import type { LogView, SpanView } from '../../model/queries';
import type { RowBatch } from '../rows';
import type { LocatedSpanRow } from '../segment';

const NS_PER_MS = 1_000_000n;

/** ms since epoch (fractional) → exact decimal nanoseconds as a string (UInt64 in JSON). */
export function msToNsText(ms: number): string {
  const whole = Math.floor(ms);
  return (BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6))).toString();
}

export function nsTextToMs(ns: string | number): number {
  const n = BigInt(ns);
  return Number(n / NS_PER_MS) + Number(n % NS_PER_MS) / 1e6;
}

function timeCols(ms: number): { day: string; time: number; time_ns: string } {
  const safe = Number.isFinite(ms) && ms >= 0 ? ms : 0;
  return { day: new Date(safe).toISOString().slice(0, 10), time: Math.floor(safe / 1000), time_ns: msToNsText(safe) };
}

/** Attributes JSON (an object) → parallel key and JSON-encoded value arrays. */
export function attrArrays(json: string): { attr_keys: string[]; attr_values: string[] } {
  let o: unknown;
  try {
    o = JSON.parse(json);
  } catch {
    o = {};
  }
  const keys: string[] = [];
  const values: string[] = [];
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) {
      keys.push(k);
      values.push(JSON.stringify(v) ?? 'null');
    }
  }
  return { attr_keys: keys, attr_values: values };
}

export function attrsFrom(keys: string[], values: string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    try {
      o[k] = JSON.parse(values[i]);
    } catch {
      o[k] = values[i];
    }
  });
  return o;
}

const fin = (n: number | undefined): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
const finOrNull = (n: number | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);

export interface TableRows {
  spans: Record<string, unknown>[];
  logs: Record<string, unknown>[];
  metric_points: Record<string, unknown>[];
}

/** The rows of one journal record for each table. `ix` numbers rows per table. */
export function tableRows(rb: RowBatch, origin: string): TableRows {
  const key = (ix: number) => ({ origin, seq: rb.q, ix });
  const spans = rb.sp.filter((s) => s.x !== 0).map((s, ix) => ({
    ...timeCols(s.s), ...key(ix),
    trace_id: s.t, span_id: s.i, parent_id: s.p ?? '', name: s.n, kind: s.k, service: s.sv,
    dur_ms: fin(s.d), status: s.sc, failed: s.e === 1 || s.sc === 2 ? 1 : 0, is_db: s.db ? 1 : 0,
    status_msg: s.sm ?? '', route: s.r ?? '', http_method: s.hm ?? '',
    file: s.f ?? '', line: s.l ?? 0, fn: s.fn ?? '', loc: s.loc ?? '',
    ...attrArrays(s.a), events: s.ev ?? '', resource: rb.res[s.ri] ?? '{}', revision: rb.rv?.[s.ri] ?? '',
  }));
  const logs = rb.lg.map((l, ix) => ({
    ...timeCols(l.s), ...key(ix),
    sev: l.sn, sev_text: l.st ?? '', body: l.b, ...attrArrays(l.a), service: l.sv,
    trace_id: l.t ?? '', span_id: l.i ?? '', file: l.f ?? '', line: l.l ?? 0, fn: l.fn ?? '', resource: rb.res[l.ri] ?? '{}',
  }));
  const metric_points = rb.mt.map((m, ix) => ({
    ...timeCols(m.s), ...key(ix),
    name: m.n, kind: m.k, unit: m.u ?? '', service: m.sv, attrs_key: m.ak,
    value: fin(m.v), count: fin(m.c), sum: fin(m.sum), min: finOrNull(m.mn), max: finOrNull(m.mx), detail: m.j, resource: rb.res[m.ri] ?? '{}',
  }));
  return { spans, logs, metric_points };
}

/** Columns read back for a span (the `SELECT` list of span queries). */
export const SPAN_COLUMNS = 'trace_id, span_id, parent_id, name, kind, service, time_ns, dur_ms, status, status_msg, loc, attr_keys, attr_values, events';

export interface SpanRecord {
  trace_id: string; span_id: string; parent_id: string; name: string; kind: number; service: string; time_ns: string;
  dur_ms: number; status: number; status_msg: string; loc: string; attr_keys: string[]; attr_values: string[]; events: string;
}

export function toSpanView(r: SpanRecord): SpanView {
  const v: SpanView = {
    traceId: r.trace_id,
    spanId: r.span_id,
    name: r.name,
    kind: Number(r.kind),
    service: r.service,
    startMs: nsTextToMs(r.time_ns),
    durationMs: Number(r.dur_ms),
    statusCode: Number(r.status),
    attributes: attrsFrom(r.attr_keys, r.attr_values),
    events: r.events ? (JSON.parse(r.events) as SpanView['events']) : [],
  };
  if (r.parent_id) v.parentSpanId = r.parent_id;
  if (r.status_msg) v.statusMessage = r.status_msg;
  if (r.loc) {
    const loc = JSON.parse(r.loc) as SpanView['location'] & { issuedFrom?: SpanView['issuedFrom'] };
    if (loc.issuedFrom) v.issuedFrom = loc.issuedFrom;
    else v.location = loc;
  }
  return v;
}

export const LOG_COLUMNS = 'time_ns, sev, sev_text, body, attr_keys, attr_values, resource, service, trace_id, span_id, file, line';

export interface LogRecordRow {
  time_ns: string; sev: number; sev_text: string; body: string; attr_keys: string[]; attr_values: string[]; resource: string;
  service: string; trace_id: string; span_id: string; file: string; line: number;
}

export function toLogView(r: LogRecordRow): LogView {
  const v: LogView = {
    timeMs: nsTextToMs(r.time_ns),
    severityNumber: Number(r.sev),
    body: r.body,
    attributes: attrsFrom(r.attr_keys, r.attr_values),
    resource: r.resource ? (JSON.parse(r.resource) as Record<string, unknown>) : {},
    service: r.service,
  };
  if (r.sev_text) v.severityText = r.sev_text;
  if (r.trace_id) v.traceId = r.trace_id;
  if (r.span_id) v.spanId = r.span_id;
  if (r.file) v.location = { file: r.file, line: Number(r.line) };
  return v;
}

export interface LocatedRecord { file: string; line: number; kind: number; dur_ms: number; status: number; failed: number; time_ns: string; is_db: number; resource: string }

export function toLocatedSpan(r: LocatedRecord): LocatedSpanRow {
  return { file: r.file, line: Number(r.line), kind: Number(r.kind), durationMs: Number(r.dur_ms), statusCode: Number(r.status), failed: Number(r.failed) === 1, endMs: nsTextToMs(r.time_ns) + Number(r.dur_ms), db: Number(r.is_db) === 1, resource: r.resource };
}
