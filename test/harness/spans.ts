// One builder for test telemetry: model spans, resources and batches as the receiver builds
// them (collector/model/types.ts), the store rows folded from them (collector/store/rows.ts),
// and OTLP/JSON export requests (ExportTraceServiceRequest, as an SDK posts to /v1/traces).
// Every field has a plain default, so a test names only what it is about. Ids are unique per
// process unless given; times are epoch milliseconds.
import type { AttrValue, Attributes, Resource, Scope, SourceLocation, Span, SpanEvent, TelemetryBatch } from '../../collector/model/types';
import { SpanKind, StatusCode, emptyBatch } from '../../collector/model/types';
import { msToNs } from '../../collector/model/time';
import { toRowBatch, type SpanRow } from '../../collector/store/rows';

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

let counter = 0;
/** A fresh hex id of `bytes` bytes (16 for a trace, 8 for a span). */
export function hexId(bytes: 8 | 16): string {
  return (++counter).toString(16).padStart(bytes * 2, '0');
}

/** A resource named `service`; `attributes` are added to `service.name`. */
export function resource(service = 'shop-api', attributes: Attributes = {}, revision?: string): Resource {
  return { attributes: { 'service.name': service, ...attributes }, serviceName: service, ...(revision ? { revision } : {}) };
}

export interface SpanOptions {
  name?: string;
  kind?: SpanKind;
  /** Start, epoch ms (default T0). */
  atMs?: number;
  durMs?: number;
  traceId?: string;
  spanId?: string;
  /** The parent span (its trace id is taken too) or a parent span id. */
  parent?: Span | string;
  /** A service name, or a whole resource (share one object across spans of one export). */
  service?: string | Resource;
  attributes?: Attributes;
  /** `true` or a status message: status ERROR. */
  error?: boolean | string;
  events?: SpanEvent[];
  location?: SourceLocation;
  scope?: Scope;
}

export function span(o: SpanOptions = {}): Span {
  const at = o.atMs ?? T0;
  const parent = typeof o.parent === 'string' ? undefined : o.parent;
  const res = typeof o.service === 'object' ? o.service : resource(o.service);
  const s: Span = {
    traceId: o.traceId ?? parent?.traceId ?? hexId(16),
    spanId: o.spanId ?? hexId(8),
    name: o.name ?? 'work',
    kind: o.kind ?? SpanKind.Internal,
    startNs: msToNs(at),
    // Durations to the nanosecond (msToNs rounds to whole milliseconds).
    endNs: msToNs(at) + BigInt(Math.round((o.durMs ?? 10) * 1e6)),
    status: o.error ? { code: StatusCode.Error, ...(typeof o.error === 'string' ? { message: o.error } : {}) } : { code: StatusCode.Unset },
    attributes: { ...o.attributes },
    events: o.events ?? [],
    links: [],
    resource: res,
    scope: o.scope ?? { name: 'test' },
  };
  const parentId = typeof o.parent === 'string' ? o.parent : parent?.spanId;
  if (parentId) s.parentSpanId = parentId;
  if (o.location) s.location = o.location;
  return s;
}

/** An HTTP server span for `method route` answered with `status` (500 when `error`). */
export function serverSpan(o: SpanOptions & { route?: string; method?: string; statusCode?: number } = {}): Span {
  const route = o.route ?? '/orders';
  const method = o.method ?? 'GET';
  const code = o.statusCode ?? (o.error ? 500 : 200);
  return span({ name: `${method} ${route}`, kind: SpanKind.Server, ...o, attributes: { 'http.request.method': method, 'http.route': route, 'http.response.status_code': code, ...o.attributes } });
}

/** `perMinute` server spans a minute for `minutes` minutes from `fromMs`, spread evenly; the
 *  `errorEvery`-th of each minute fails. `durMs` may change by minute. */
export function traffic(o: { fromMs: number; minutes: number; perMinute: number; errorEvery?: number; durMs?: number | ((minute: number) => number); route?: string; service?: string }): Span[] {
  const out: Span[] = [];
  for (let m = 0; m < o.minutes; m++) {
    for (let i = 0; i < o.perMinute; i++) {
      const atMs = o.fromMs + m * 60_000 + Math.floor((i * 60_000) / o.perMinute);
      const durMs = typeof o.durMs === 'function' ? o.durMs(m) : o.durMs ?? 10;
      out.push(serverSpan({ atMs, durMs, error: !!o.errorEvery && i % o.errorEvery === 0, route: o.route, service: o.service }));
    }
  }
  return out;
}

/** A database client span running `statement`. */
export function dbSpan(o: SpanOptions & { statement: string; system?: string }): Span {
  return span({ name: o.statement.split(/\s/)[0] ?? 'query', kind: SpanKind.Client, ...o, attributes: { 'db.system': o.system ?? 'postgresql', 'db.statement': o.statement, ...o.attributes } });
}

/** An outgoing HTTP call to `url`. */
export function httpClientSpan(o: SpanOptions & { url: string; method?: string }): Span {
  const method = o.method ?? 'GET';
  return span({ name: method, kind: SpanKind.Client, ...o, attributes: { 'http.request.method': method, 'url.full': o.url, ...o.attributes } });
}

/** The `exception` event an SDK records with `span.recordException`. */
export function exceptionEvent(type: string, message: string, o: { stack?: string; atMs?: number } = {}): SpanEvent {
  return { name: 'exception', timeNs: msToNs(o.atMs ?? T0), attributes: { 'exception.type': type, 'exception.message': message, ...(o.stack ? { 'exception.stacktrace': o.stack } : {}) } };
}

/** A location found from `code.*` attributes (`via: 'attribute'`, confidence 1). */
export function at(file: string, line: number, fn?: string): SourceLocation {
  return { file, line, ...(fn ? { function: fn } : {}), via: 'attribute', confidence: 1 };
}

/** A batch as the receiver hands it on. */
export function batchOf(spans: Span[], rest: Partial<Pick<TelemetryBatch, 'logs' | 'metrics'>> = {}): TelemetryBatch {
  const b = emptyBatch();
  b.spans = spans;
  if (rest.logs) b.logs = rest.logs;
  if (rest.metrics) b.metrics = rest.metrics;
  return b;
}

/** The store rows of `spans` (what the time series fold from each journal record). */
export function spanRows(spans: Span[]): SpanRow[] {
  return toRowBatch(batchOf(spans)).sp;
}

// ---- OTLP/JSON ----------------------------------------------------------------------

type AnyValue = { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number } | { arrayValue: { values: AnyValue[] } } | { kvlistValue: { values: KeyValue[] } } | Record<string, never>;
interface KeyValue { key: string; value: AnyValue }

function anyValue(v: AttrValue): AnyValue {
  if (v === null) return {};
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { kvlistValue: { values: keyValues(v) } };
}

function keyValues(attrs: Attributes): KeyValue[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** The OTLP/JSON body an SDK posts to /v1/traces for `spans`: grouped by resource
 *  attributes and scope, ids as hex, times as decimal nanosecond strings. */
export function otlpTraces(spans: Span[]): { resourceSpans: unknown[] } {
  const byResource = new Map<string, { res: Resource; scopes: Map<string, { scope: Scope; list: Span[] }> }>();
  for (const s of spans) {
    const rk = JSON.stringify(keyValues(s.resource.attributes));
    const r = byResource.get(rk) ?? { res: s.resource, scopes: new Map() };
    byResource.set(rk, r);
    const sk = `${s.scope.name}@${s.scope.version ?? ''}`;
    const sc = r.scopes.get(sk) ?? { scope: s.scope, list: [] };
    r.scopes.set(sk, sc);
    sc.list.push(s);
  }
  return {
    resourceSpans: [...byResource.values()].map(({ res, scopes }) => ({
      resource: { attributes: keyValues(res.attributes) },
      scopeSpans: [...scopes.values()].map(({ scope, list }) => ({
        scope: { name: scope.name, ...(scope.version ? { version: scope.version } : {}) },
        spans: list.map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: s.startNs.toString(),
          endTimeUnixNano: s.endNs.toString(),
          attributes: keyValues(s.attributes),
          events: s.events.map((e) => ({ name: e.name, timeUnixNano: e.timeNs.toString(), attributes: keyValues(e.attributes) })),
          status: { code: s.status.code, ...(s.status.message ? { message: s.status.message } : {}) },
        })),
      })),
    })),
  };
}
