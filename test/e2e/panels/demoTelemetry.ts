// Telemetry for the panel tests, produced by the official OpenTelemetry JS SDK (real
// spans, real exceptions with real stacks, logs carrying trace context) and sent with the
// official OTLP/HTTP protobuf exporters to a collector URL.
import { readFileSync } from 'node:fs';
import { context, trace, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export const DEMO_SERVICE = 'shop';
export const N_PLUS_ONE = 12;
/** The demo app "lives" in this file: code.* attributes and stack frames point here. */
export const DEMO_FILE = __filename;
export const ORDERS_LINE = readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.startsWith('function ordersTrace')) + 1;

export interface DemoIds {
  ordersTraceId: string;
  checkoutTraceId: string;
  traceCount: number;
  spanCount: number;
  logCount: number;
}

function failPayment(): never {
  // A real exception with a real V8 stack (frames point at this test file).
  throw new TypeError('card declined for order 17');
}

function ordersTrace(tracer: Tracer, logger: Logger, t0: number): string {
  const root = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.request.method': 'GET', 'http.route': '/orders/:id', 'http.response.status_code': 500, 'code.filepath': DEMO_FILE, 'code.lineno': ORDERS_LINE, 'code.function': 'getOrder' } });
  const ctx = trace.setSpan(context.active(), root);
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'loading order 17', attributes: { 'order.id': 17 }, context: ctx, timestamp: t0 + 1 });
  // Built at run time, as an ORM does: no literal in the source to place it by.
  const select = (table: string, id: number) => ['SELECT', '*', 'FROM', table, 'WHERE', 'id', '=', String(id)].join(' ');
  for (let i = 0; i < N_PLUS_ONE; i++) {
    const q = tracer.startSpan('SELECT order_items', { kind: SpanKind.CLIENT, startTime: t0 + 2 + i * 3, attributes: { 'db.system': 'postgresql', 'db.statement': select('order_items', i) } }, ctx);
    q.end(t0 + 4 + i * 3);
  }
  const pay = tracer.startSpan('POST /payments', { kind: SpanKind.CLIENT, startTime: t0 + 45, attributes: { 'http.request.method': 'POST', 'server.address': 'payments.internal' } }, ctx);
  try {
    failPayment();
  } catch (e) {
    pay.recordException(e as Error);
    pay.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment failed for order 17', attributes: { 'order.id': 17, 'exception.type': 'TypeError' }, context: trace.setSpan(ctx, pay), timestamp: t0 + 60 });
  }
  pay.end(t0 + 70);
  root.setStatus({ code: SpanStatusCode.ERROR });
  root.end(t0 + 75);
  return root.spanContext().traceId;
}

function checkoutTrace(tracer: Tracer, logger: Logger, t0: number): string {
  const root = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.route': '/checkout', 'http.response.status_code': 200 } });
  const c1 = trace.setSpan(context.active(), root);
  const cart = tracer.startSpan('loadCart', { startTime: t0 + 1 }, c1);
  const c2 = trace.setSpan(c1, cart);
  const redis = tracer.startSpan('GET cart:42', { kind: SpanKind.CLIENT, startTime: t0 + 2, attributes: { 'db.system': 'redis' } }, c2);
  redis.end(t0 + 5);
  cart.end(t0 + 8);
  const charge = tracer.startSpan('charge', { startTime: t0 + 9 }, c1);
  logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'retrying charge (attempt 2)', attributes: { attempt: 2 }, context: trace.setSpan(c1, charge), timestamp: t0 + 20 });
  charge.end(t0 + 120);
  root.end(t0 + 130);
  return root.spanContext().traceId;
}

function productTrace(tracer: Tracer, t0: number, i: number): void {
  const root = tracer.startSpan('GET /products', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.route': '/products', 'page': i } });
  const q = tracer.startSpan('SELECT products', { kind: SpanKind.CLIENT, startTime: t0 + 1, attributes: { 'db.system': 'postgresql' } }, trace.setSpan(context.active(), root));
  q.end(t0 + 3 + (i % 7));
  root.end(t0 + 5 + (i % 7));
}

const exported = (r: ExportResult) => {
  if (r.code !== ExportResultCode.SUCCESS) throw new Error(`export failed: ${r.error?.message ?? r.code}`);
};

/** Produces the demo telemetry and exports it to `collectorUrl` (http://127.0.0.1:port). */
export async function sendDemoTelemetry(collectorUrl: string, nowMs = Date.now()): Promise<DemoIds> {
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  const resource = resourceFromAttributes({ 'service.name': DEMO_SERVICE, 'service.version': '2.3.0', 'deployment.environment': 'test' });
  const tp = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spans)] });
  const lp = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logs })] });
  const tracer = tp.getTracer('shop.http', '1.0.0');
  const logger = lp.getLogger('shop.log', '1.0.0');
  const t0 = nowMs - 60_000;
  const ordersTraceId = ordersTrace(tracer, logger, t0);
  const checkoutTraceId = checkoutTrace(tracer, logger, t0 + 1000);
  for (let i = 0; i < 40; i++) productTrace(tracer, t0 + 2000 + i * 500, i);
  await tp.forceFlush();
  await lp.forceFlush();
  const finished = spans.getFinishedSpans();
  const records = logs.getFinishedLogRecords();
  const te = new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` });
  const le = new OTLPLogExporter({ url: `${collectorUrl}/v1/logs` });
  exported(await new Promise<ExportResult>((r) => te.export(finished, r)));
  exported(await new Promise<ExportResult>((r) => le.export(records, r)));
  await Promise.all([te.shutdown(), le.shutdown(), tp.shutdown(), lp.shutdown()]);
  await sendDemoMetrics(collectorUrl);
  return { ordersTraceId, checkoutTraceId, traceCount: 42, spanCount: finished.length, logCount: records.length };
}

/** `n` failing `POST /checkout/pay` requests (server spans with an exception and ERROR
 *  status), sent the same way: enough to make CHECKOUT_RULE fire. */
export async function sendCheckoutFailures(collectorUrl: string, n: number, nowMs = Date.now()): Promise<void> {
  const spans = new InMemorySpanExporter();
  const resource = resourceFromAttributes({ 'service.name': DEMO_SERVICE, 'service.version': '2.3.1' });
  const tp = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spans)] });
  const tracer = tp.getTracer('shop.http', '1.0.0');
  for (let i = 0; i < n; i++) {
    const t0 = nowMs - n * 100 + i * 100;
    const s = tracer.startSpan('POST /checkout/pay', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.request.method': 'POST', 'http.route': '/checkout/pay', 'http.response.status_code': 502 } });
    try {
      failPayment();
    } catch (e) {
      s.recordException(e as Error);
      s.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    }
    s.end(t0 + 40);
  }
  await tp.forceFlush();
  const te = new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` });
  exported(await new Promise<ExportResult>((r) => te.export(spans.getFinishedSpans(), r)));
  await Promise.all([te.shutdown(), tp.shutdown()]);
}

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** A memory gauge and a request-duration histogram, collected once and exported. */
export async function sendDemoMetrics(collectorUrl: string): Promise<void> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': DEMO_SERVICE }), readers: [reader] });
  const meter = provider.getMeter('shop.metrics', '1.0.0');
  meter.createObservableGauge('process.memory.usage', { unit: 'By' }).addCallback((r) => r.observe(48_000_000));
  const hist = meter.createHistogram('http.server.request.duration', { unit: 'ms' });
  for (const v of [3, 5, 8, 12, 20, 48, 250]) hist.record(v, { 'http.route': '/products' });
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length) throw errors[0];
  const me = new OTLPMetricExporter({ url: `${collectorUrl}/v1/metrics` });
  exported(await new Promise<ExportResult>((r) => me.export(resourceMetrics, r)));
  await Promise.all([me.shutdown(), provider.shutdown()]);
}

/** One log record (no trace context), sent through the OTLP logs exporter. */
export async function sendLog(collectorUrl: string, body: string, severity = SeverityNumber.WARN, attributes: Record<string, string | number | boolean> = { 'tail.test': true }): Promise<void> {
  const logs = new InMemoryLogRecordExporter();
  const lp = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': DEMO_SERVICE }), processors: [new SimpleLogRecordProcessor({ exporter: logs })] });
  lp.getLogger('shop.log').emit({ severityNumber: severity, severityText: SeverityNumber[severity], body, attributes });
  await lp.forceFlush();
  const le = new OTLPLogExporter({ url: `${collectorUrl}/v1/logs` });
  exported(await new Promise<ExportResult>((r) => le.export(logs.getFinishedLogRecords(), r)));
  await Promise.all([le.shutdown(), lp.shutdown()]);
}
