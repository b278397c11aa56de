// Test helper: batches of real spans made by the official OpenTelemetry SDK (each a server
// span at a code location with children), sent by the official OTLP/HTTP protobuf exporter.
// `stream` sends batches with a few in flight and records the ids of every span whose export
// was acknowledged (ExportResultCode.SUCCESS): what the collector promised to keep.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace, SpanKind } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A workspace with the source file the spans are located at (line 42: the handler, 57: its query). */
export function shopWorkspace(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vw-shop-'));
  const file = join(dir, 'orders.ts');
  writeFileSync(file, Array.from({ length: 80 }, (_, i) => `export const line${i + 1} = ${i + 1};`).join('\n') + '\n');
  return { dir, file };
}

export async function spanBatch(traces: number, file: string, service = 'shop'): Promise<ReadableSpan[]> {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(mem)] });
  const tracer = provider.getTracer('shop');
  for (let i = 0; i < traces; i++) {
    const root = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id', 'http.request.method': 'GET', 'http.response.status_code': 200, 'code.filepath': file, 'code.lineno': 42 } });
    const ctx = trace.setSpan(context.active(), root);
    tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE id = $1', 'code.filepath': file, 'code.lineno': 57 } }, ctx).end();
    root.end();
  }
  await provider.forceFlush();
  const spans = mem.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

export interface StreamResult {
  acknowledged: Set<string>;
  failed: number;
}

/** Sends `batches` batches of `traces` traces to each URL in turn (round robin), `inFlight` at
 *  a time; `onBatch(i)` runs before batch i is sent (kill something there). */
export async function stream(urls: string[], file: string, batches: number, traces: number, inFlight: number, onBatch?: (i: number) => Promise<void> | void): Promise<StreamResult> {
  const exporters = urls.map((u) => new OTLPTraceExporter({ url: `${u}/v1/traces`, timeoutMillis: 15_000 }));
  const acknowledged = new Set<string>();
  let failed = 0;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= batches) return;
      await onBatch?.(i);
      const spans = await spanBatch(traces, file);
      const exp = exporters[i % exporters.length];
      const r = await new Promise<{ code: number }>((resolve) => exp.export(spans, resolve));
      if (r.code === ExportResultCode.SUCCESS) for (const s of spans) acknowledged.add(s.spanContext().spanId);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await Promise.all(exporters.map((e) => e.shutdown()));
  return { acknowledged, failed };
}
