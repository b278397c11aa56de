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

/** ms since epoch (fractional, ≥ 0) → exact decimal nanoseconds as a string (UInt64 in JSON). */
export function msToNsText(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  if (frac >= 1e6) return msToNsText(whole + 1);
  return whole === 0 ? String(frac) : `${whole}${String(frac).padStart(6, '0')}`;
}

export function nsTextToMs(ns: string | number): number {
  const n = BigInt(ns);
  return Number(n / NS_PER_MS) + Number(n % NS_PER_MS) / 1e6;
}

let lastDayNo = -1;
let lastDay = '';
/** `"day":"YYYY-MM-DD","time":s,"time_ns":"…"` of a row (the partition key and the time). */
function timeCols(ms: number): string {
  const safe = Number.isFinite(ms) && ms >= 0 ? ms : 0;
  const dayNo = Math.floor(safe / 86_400_000);
  if (dayNo !== lastDayNo) {
    lastDayNo = dayNo;
    lastDay = new Date(dayNo * 86_400_000).toISOString().slice(0, 10);
  }
  return `"day":"${lastDay}","time":${Math.floor(safe / 1000)},"time_ns":"${msToNsText(safe)}"`;
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

/** `"attr_keys":[…],"attr_values":[…]` of an attributes JSON. */
function attrCols(json: string): string {
  const a = attrArrays(json);
  return `"attr_keys":${JSON.stringify(a.attr_keys)},"attr_values":${JSON.stringify(a.attr_values)}`;
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
const q = JSON.stringify;

/** One JSONEachRow line and the (seq, ix) that names it. */
export interface RowLine {
  seq: number;
  ix: number;
  line: string;
}

export interface TableRows {
  spans: RowLine[];
  logs: RowLine[];
  metric_points: RowLine[];
}

/** The rows of one journal record for each table, as JSONEachRow lines built directly (no
 *  intermediate objects: this is the ingest path's hottest code). `ix` numbers rows per table. */
export function tableRows(rb: RowBatch, origin: string): TableRows {
  const seq = rb.q;
  const head = `"origin":${q(origin)},"seq":${seq},"ix":`;
  const res = rb.res.map((r) => q(r ?? '{}'));
  const rv = rb.res.map((_, i) => q(rb.rv?.[i] ?? ''));
  const spans: RowLine[] = [];
  let ix = 0;
  for (const s of rb.sp) {
    if (s.x === 0) continue;
    spans.push({ seq, ix, line: `{${timeCols(s.s)},${head}${ix},"trace_id":${q(s.t)},"span_id":${q(s.i)},"parent_id":${q(s.p ?? '')},"name":${q(s.n)},"kind":${s.k | 0},"service":${q(s.sv)},`
      + `"dur_ms":${fin(s.d)},"status":${s.sc | 0},"failed":${s.e === 1 || s.sc === 2 ? 1 : 0},"is_db":${s.db ? 1 : 0},"status_msg":${q(s.sm ?? '')},"route":${q(s.r ?? '')},"http_method":${q(s.hm ?? '')},`
      + `"file":${q(s.f ?? '')},"line":${Math.max(0, s.l ?? 0) | 0},"fn":${q(s.fn ?? '')},"loc":${q(s.loc ?? '')},${attrCols(s.a)},"events":${q(s.ev ?? '')},"resource":${res[s.ri] ?? '"{}"'},"revision":${rv[s.ri] ?? '""'}}` });
    ix++;
  }
  const logs: RowLine[] = rb.lg.map((l, i) => ({ seq, ix: i, line: `{${timeCols(l.s)},${head}${i},"sev":${Math.max(0, l.sn | 0)},"sev_text":${q(l.st ?? '')},"body":${q(l.b)},${attrCols(l.a)},"service":${q(l.sv)},`
    + `"trace_id":${q(l.t ?? '')},"span_id":${q(l.i ?? '')},"file":${q(l.f ?? '')},"line":${Math.max(0, l.l ?? 0) | 0},"fn":${q(l.fn ?? '')},"resource":${res[l.ri] ?? '"{}"'}}` }));
  const metric_points: RowLine[] = rb.mt.map((m, i) => ({ seq, ix: i, line: `{${timeCols(m.s)},${head}${i},"name":${q(m.n)},"kind":${q(m.k)},"unit":${q(m.u ?? '')},"service":${q(m.sv)},"attrs_key":${q(m.ak)},`
    + `"value":${fin(m.v)},"count":${fin(m.c)},"sum":${fin(m.sum)},"min":${q(finOrNull(m.mn))},"max":${q(finOrNull(m.mx))},"detail":${q(m.j)},"resource":${res[m.ri] ?? '"{}"'}}` }));
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
