// Produces telemetry with the official OpenTelemetry JS SDK and sends it with the official
// OTLP/HTTP exporters (JSON: exporter-*-otlp-http, protobuf: exporter-*-otlp-proto).
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, AggregationType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

export type Wire = 'json' | 'protobuf';
export const RESOURCE = { 'service.name': 'checkout', 'service.version': '1.4.0', 'vcs.ref.head.revision': '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', 'deployment.environment': 'test' };

/** Three spans of one trace: a server span with a child DB span and an erroring client span. */
export async function makeSpans(): Promise<ReadableSpan[]> {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(RESOURCE), spanProcessors: [new SimpleSpanProcessor(mem)] });
  const tracer = provider.getTracer('shop.orders', '2.0.1');
  const root = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id', 'http.response.status_code': 200, 'code.filepath': '/srv/shop/src/orders.ts', 'code.lineno': 42 } });
  const ctx = trace.setSpan(context.active(), root);
  const db = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE id = $1', 'db.rows': 3, ratio: 0.25, cached: false, tags: ['a', 'b'] } }, ctx);
  db.addEvent('rows fetched', { count: 3 });
  db.end();
  const pay = tracer.startSpan('POST payments', { kind: SpanKind.CLIENT }, ctx);
  pay.recordException(new Error('card declined'));
  pay.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  pay.end();
  root.end();
  await provider.forceFlush();
  const spans = mem.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

export async function makeLogs(traceSpan?: { traceId: string; spanId: string }): Promise<ReadableLogRecord[]> {
  const mem = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes(RESOURCE), processors: [new SimpleLogRecordProcessor({ exporter: mem })] });
  const logger = provider.getLogger('shop.logger', '1.0.0');
  const ctx = traceSpan ? trace.setSpanContext(context.active(), { ...traceSpan, traceFlags: 1 }) : context.active();
  logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment failed for order 17', attributes: { 'order.id': 17 }, context: ctx });
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: { msg: 'structured', n: 2 }, attributes: { 'code.filepath': '/srv/shop/src/pay.ts' } });
  await provider.forceFlush();
  const out = mem.getFinishedLogRecords();
  await provider.shutdown();
  return out;
}

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** A gauge, a monotonic sum, an explicit histogram and an exponential histogram. */
export async function makeMetrics(): Promise<ResourceMetrics> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(RESOURCE),
    readers: [reader],
    views: [{ instrumentName: 'http.server.exp_duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('shop.metrics', '1.0.0');
  meter.createObservableGauge('process.memory.usage', { unit: 'By' }).addCallback((r) => r.observe(123456, { kind: 'heap' }));
  const counter = meter.createCounter('orders.created', { description: 'orders' });
  counter.add(3, { region: 'eu' });
  counter.add(2, { region: 'eu' });
  const hist = meter.createHistogram('http.server.duration', { unit: 'ms' });
  for (const v of [3, 12, 48, 250]) hist.record(v, { route: '/orders/:id' });
  const exp = meter.createHistogram('http.server.exp_duration', { unit: 'ms' });
  for (const v of [1, 2, 4, 8, 1000]) exp.record(v);
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length) throw errors[0];
  await provider.shutdown();
  return resourceMetrics;
}

function done(resolve: (r: ExportResult) => void) {
  return (r: ExportResult) => resolve(r);
}

export function sendSpans(url: string, wire: Wire, spans: ReadableSpan[], headers?: Record<string, string>, compression?: CompressionAlgorithm): Promise<ExportResult> {
  const config = { url: `${url}/v1/traces`, headers, compression };
  const exporter = wire === 'json' ? new TraceJson(config) : new TraceProto(config);
  return new Promise<ExportResult>((resolve) => exporter.export(spans, done(resolve))).finally(() => exporter.shutdown());
}

export function sendLogs(url: string, wire: Wire, logs: ReadableLogRecord[]): Promise<ExportResult> {
  const exporter = wire === 'json' ? new LogsJson({ url: `${url}/v1/logs` }) : new LogsProto({ url: `${url}/v1/logs` });
  return new Promise<ExportResult>((resolve) => exporter.export(logs, done(resolve))).finally(() => exporter.shutdown());
}

export function sendMetrics(url: string, wire: Wire, metrics: ResourceMetrics): Promise<ExportResult> {
  const exporter = wire === 'json' ? new MetricsJson({ url: `${url}/v1/metrics` }) : new MetricsProto({ url: `${url}/v1/metrics` });
  return new Promise<ExportResult>((resolve) => exporter.export(metrics, done(resolve))).finally(() => exporter.shutdown());
}

export { CompressionAlgorithm, ExportResultCode };
