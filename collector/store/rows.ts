// The row format shared by the journal, the aggregates and the sql.js segments.
// Contract: rows are JSON-safe (no bigint); one journal record is one `RowBatch`, built once
// on the ingest path from a TelemetryBatch, written to the journal, folded into the
// aggregates and handed to the segment engine — the same bytes everywhere, so replay after a
// crash rebuilds exactly what the live path built. Resource attributes are deduplicated per
// batch (`res`), because SDK resources are large and identical for every span of a batch.
import type { AttrValue, Attributes, LogRecord, MetricPoint, Span, TelemetryBatch } from '../model/types';
import { SpanKind } from '../model/types';
import { nsToMs } from '../model/time';
import { isDatabaseSpan, isErrorSpan } from '../model/spanOutcome';

/** A row's failed flag: the rule's `e`, or status ERROR for rows journaled before it. */
export function rowFailed(s: SpanRow): boolean {
  return s.e === 1 || s.sc === 2;
}

export interface SpanRow {
  t: string; // trace id
  i: string; // span id
  p?: string; // parent span id
  n: string; // name
  k: number; // kind
  sv: string; // service
  s: number; // start, ms since epoch
  d: number; // duration ms
  sc: number; // status code
  /** 1 = failed by the one rule (model/spanOutcome.ts); rows journaled before it have `sc` only. */
  e?: 1;
  /** 1 = a database span (model/spanOutcome.ts `isDatabaseSpan`); see RowBatch.rv for old rows. */
  db?: 1;
  sm?: string; // status message
  r?: string; // http.route
  /** HTTP method of a server span with a route (its endpoint is `METHOD route`). */
  hm?: string;
  f?: string; // location file
  l?: number; // location line
  fn?: string; // location function
  loc?: string; // full location JSON
  a: string; // attributes JSON (bigints as strings)
  ev?: string; // events JSON
  ri: number; // index into RowBatch.res
  /** 0 = sampled away: counted by the aggregates, not stored raw. Absent = keep. */
  x?: 0;
}

export interface LogRow {
  s: number; // time ms
  sn: number; // severity number
  st?: string; // severity text
  b: string; // body as text
  a: string; // attributes JSON
  sv: string;
  t?: string;
  i?: string;
  f?: string;
  l?: number;
  fn?: string;
  ri: number;
}

export interface MetricRow {
  n: string; // metric name
  k: string; // kind
  u?: string; // unit
  s: number; // time ms
  sv: string;
  ak: string; // series key: canonical JSON of the point attributes plus service.name
  v: number; // representative value: gauge/sum value, histogram/summary sum/count (mean)
  c: number; // count (1 for number points)
  sum: number;
  mn?: number;
  mx?: number;
  /** Temporality/monotonic and the distribution detail, as JSON. */
  j: string;
  ri: number;
}

export interface RowBatch {
  /** Journal sequence number, assigned by the journal writer. */
  q: number;
  res: string[];
  /** The running revision of each resource of `res` ('' for none). Absent in records
   *  journaled before it, whose spans also lack `db`. */
  rv?: string[];
  sp: SpanRow[];
  lg: LogRow[];
  mt: MetricRow[];
}

const bigintSafe = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);
export const toJson = (v: unknown): string => JSON.stringify(v, bigintSafe) ?? 'null';

/** Canonical attributes key: keys sorted, so the same series always gets the same key. */
export function attrsKey(a: Attributes): string {
  const keys = Object.keys(a).sort();
  if (keys.length === 0) return '{}';
  const o: Record<string, AttrValue> = {};
  for (const k of keys) o[k] = a[k];
  return toJson(o);
}

function bodyText(b: AttrValue): string {
  return typeof b === 'string' ? b : toJson(b);
}

export function toRowBatch(batch: TelemetryBatch): RowBatch {
  const res: string[] = [];
  const rv: string[] = [];
  const resIdx = new Map<object, number>();
  const resText = new Map<string, number>();
  const ri = (r: { attributes: Attributes; serviceName: string; revision?: string }): number => {
    let i = resIdx.get(r);
    if (i !== undefined) return i;
    const text = toJson(r.attributes);
    // The revision is read from the attributes, but a resource built with another one
    // (tests, a processor) must keep it.
    const textKey = r.revision ? `${r.revision}\n${text}` : text;
    i = resText.get(textKey);
    if (i === undefined) {
      i = res.length;
      res.push(text);
      rv.push(r.revision ?? '');
      resText.set(textKey, i);
    }
    resIdx.set(r, i);
    return i;
  };
  return {
    q: 0,
    res,
    rv,
    sp: batch.spans.map((s) => spanRow(s, ri(s.resource))),
    lg: batch.logs.map((l) => logRow(l, ri(l.resource))),
    mt: batch.metrics.map((m) => metricRow(m, ri(m.resource))),
  };
}

function spanRow(s: Span, ri: number): SpanRow {
  const row: SpanRow = {
    t: s.traceId,
    i: s.spanId,
    n: s.name,
    k: s.kind,
    sv: s.resource.serviceName,
    s: nsToMs(s.startNs),
    d: s.endNs > s.startNs ? nsToMs(s.endNs - s.startNs) : 0,
    sc: s.status.code,
    a: toJson(s.attributes),
    ri,
  };
  if (s.parentSpanId) row.p = s.parentSpanId;
  if (isErrorSpan(s)) row.e = 1;
  if (isDatabaseSpan(s)) row.db = 1;
  if (s.status.message) row.sm = s.status.message;
  const route = s.attributes['http.route'];
  if (typeof route === 'string') {
    row.r = route;
    const method = s.attributes['http.request.method'] ?? s.attributes['http.method'];
    if (s.kind === SpanKind.Server && method !== undefined && method !== null && typeof method !== 'object') row.hm = String(method);
  }
  if (s.events.length) row.ev = toJson(s.events.map((e) => ({ name: e.name, timeMs: nsToMs(e.timeNs), attributes: e.attributes })));
  // A nested location is the same call as its parent's: stored, not aggregated again.
  if (s.location && !s.location.nested) {
    row.f = s.location.file;
    row.l = s.location.line;
    if (s.location.function) row.fn = s.location.function;
  }
  // `loc` is the full location, or `{ issuedFrom }` for a span placed only through its ancestor.
  if (s.location) row.loc = toJson(s.location);
  else if (s.issuedFrom) row.loc = toJson({ issuedFrom: s.issuedFrom });
  return row;
}

function logRow(l: LogRecord, ri: number): LogRow {
  const row: LogRow = {
    s: nsToMs(l.timeNs || l.observedTimeNs),
    sn: l.severityNumber,
    b: bodyText(l.body),
    a: toJson(l.attributes),
    sv: l.resource.serviceName,
    ri,
  };
  if (l.severityText) row.st = l.severityText;
  if (l.traceId) row.t = l.traceId;
  if (l.spanId) row.i = l.spanId;
  if (l.location) {
    row.f = l.location.file;
    row.l = l.location.line;
    if (l.location.function) row.fn = l.location.function;
  }
  return row;
}

function metricRow(m: MetricPoint, ri: number): MetricRow {
  const base = { n: m.metric, k: m.kind, s: nsToMs(m.timeNs), sv: m.resource.serviceName, ak: attrsKey({ ...m.attributes, 'service.name': m.resource.serviceName }), ri };
  const unit = m.unit ? { u: m.unit } : {};
  switch (m.kind) {
    case 'gauge':
    case 'sum':
      return { ...base, ...unit, v: m.value, c: 1, sum: m.value, mn: m.value, mx: m.value, j: toJson({ temporality: m.temporality, monotonic: m.monotonic }) };
    case 'histogram': {
      const sum = m.sum ?? 0;
      return { ...base, ...unit, v: m.count ? sum / m.count : 0, c: m.count, sum, mn: m.min, mx: m.max, j: toJson({ temporality: m.temporality, bounds: m.bounds, bucketCounts: m.bucketCounts }) };
    }
    case 'exponentialHistogram': {
      const sum = m.sum ?? 0;
      return { ...base, ...unit, v: m.count ? sum / m.count : 0, c: m.count, sum, mn: m.min, mx: m.max, j: toJson({ temporality: m.temporality, scale: m.scale, zeroCount: m.zeroCount, positive: m.positive, negative: m.negative }) };
    }
    case 'summary':
      return { ...base, ...unit, v: m.count ? m.sum / m.count : 0, c: m.count, sum: m.sum, j: toJson({ quantiles: m.quantiles }) };
  }
}
