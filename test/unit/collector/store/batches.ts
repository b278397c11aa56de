// Test helper: realistic telemetry batches in the internal model (what the receiver makes
// of an OTel SDK export): HTTP server roots with code.* located children, db spans,
// occasional errors with exception events, logs correlated to traces, metric points.
import { randomBytes } from 'node:crypto';
import { SpanKind, StatusCode, emptyBatch } from '../../../../collector/model/types';
import type { LogRecord, MetricPoint, Resource, Span, TelemetryBatch } from '../../../../collector/model/types';
import { msToNs } from '../../../../collector/model/time';

export const RESOURCE: Resource = {
  serviceName: 'shop',
  attributes: { 'service.name': 'shop', 'service.version': '1.2.3', 'host.name': 'laptop', 'process.pid': 4242, 'telemetry.sdk.language': 'nodejs' },
};
const scope = { name: '@opentelemetry/instrumentation-http', version: '0.223.0' };

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export interface TraceOptions {
  startMs: number;
  route?: string;
  error?: boolean;
  durMs?: number;
  children?: number;
  file?: string;
  service?: Resource;
}

export function makeTrace(o: TraceOptions): Span[] {
  const traceId = hex(16);
  const rootId = hex(8);
  const res = o.service ?? RESOURCE;
  const route = o.route ?? '/orders/:id';
  const file = o.file ?? '/work/shop/src/orders.ts';
  const dur = o.durMs ?? 20;
  const root: Span = {
    traceId, spanId: rootId, name: `GET ${route}`, kind: SpanKind.Server,
    startNs: msToNs(o.startMs), endNs: msToNs(o.startMs + dur),
    status: o.error ? { code: StatusCode.Error, message: 'boom' } : { code: StatusCode.Unset },
    attributes: { 'http.route': route, 'http.request.method': 'GET', 'http.response.status_code': o.error ? 500 : 200, 'net.peer.port': 51234n },
    events: o.error ? [{ name: 'exception', timeNs: msToNs(o.startMs + dur), attributes: { 'exception.type': 'TypeError', 'exception.message': 'Cannot read properties of undefined' } }] : [],
    links: [], resource: res, scope,
    location: { file, line: 12, function: 'getOrder', via: 'attribute', confidence: 1 },
  };
  const spans = [root];
  for (let i = 0; i < (o.children ?? 2); i++) {
    spans.push({
      traceId, spanId: hex(8), parentSpanId: rootId, name: 'SELECT orders', kind: SpanKind.Client,
      startNs: msToNs(o.startMs + 1 + i), endNs: msToNs(o.startMs + 2 + i + (i % 3)),
      status: { code: StatusCode.Unset }, attributes: { 'db.system': 'postgresql', 'db.statement': `SELECT * FROM orders WHERE id = $1 -- ${i}` },
      events: [], links: [], resource: res, scope: { name: 'pg' },
      location: { file, line: 30 + (i % 2), function: 'loadOrder', via: 'attribute', confidence: 1 },
    });
  }
  return spans;
}

export function makeLog(o: { timeMs: number; traceId?: string; severity?: number; body?: string; file?: string; attrs?: Record<string, string> }): LogRecord {
  const sev = o.severity ?? 9;
  return {
    timeNs: msToNs(o.timeMs), observedTimeNs: msToNs(o.timeMs), severityNumber: sev,
    severityText: sev >= 17 ? 'ERROR' : sev >= 13 ? 'WARN' : 'INFO',
    body: o.body ?? 'order loaded', attributes: o.attrs ?? { 'order.id': '42' },
    traceId: o.traceId, spanId: o.traceId ? hex(8) : undefined, resource: RESOURCE, scope: { name: 'pino' },
    location: o.file ? { file: o.file, line: 40, via: 'stack', confidence: 0.9 } : undefined,
  };
}

export function makeGauge(timeMs: number, value: number, attrs: Record<string, string> = { pool: 'main' }): MetricPoint {
  return { kind: 'gauge', metric: 'db.pool.in_use', unit: '{connection}', attributes: attrs, timeNs: msToNs(timeMs), value, resource: RESOURCE, scope: { name: 'pg' } };
}

export function makeBatch(parts: Partial<Pick<TelemetryBatch, 'spans' | 'logs' | 'metrics'>>): TelemetryBatch {
  const b = emptyBatch();
  b.spans = parts.spans ?? [];
  b.logs = parts.logs ?? [];
  b.metrics = parts.metrics ?? [];
  return b;
}

/** A batch of `traces` traces of 1 + `children` spans, 1 in `errorEvery` an error. */
export function spanBatch(startMs: number, traces: number, opts: { errorEvery?: number; children?: number; file?: string } = {}): TelemetryBatch {
  const spans: Span[] = [];
  for (let i = 0; i < traces; i++) {
    spans.push(...makeTrace({ startMs: startMs + i, error: opts.errorEvery ? i % opts.errorEvery === 0 : false, children: opts.children, file: opts.file }));
  }
  return makeBatch({ spans });
}
