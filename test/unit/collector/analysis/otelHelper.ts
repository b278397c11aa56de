// TEST HELPER (not product code): produces telemetry with the official OpenTelemetry JS SDK,
// sends it with the official OTLP/protobuf exporters to a throwaway 127.0.0.1 server, and
// decodes what arrived with the collector's receiver (collector/receiver/decode.ts) — so the
// analysis is tested on the model exactly as the receiver builds it from real exporters.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import { decodeOtlp } from '../../../../collector/receiver/decode';
import type { TelemetryBatch } from '../../../../collector/model/types';

type Signal = 'traces' | 'logs' | 'metrics';

async function capture(signal: Signal, send: (url: string) => Promise<ExportResult>): Promise<TelemetryBatch> {
  const bodies: Buffer[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    const result = await send(`http://127.0.0.1:${port}/v1/${signal}`);
    if (result.code !== 0) throw result.error ?? new Error(`export failed (${signal})`);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  if (bodies.length !== 1) throw new Error(`expected one export request, got ${bodies.length}`);
  return decodeOtlp(signal, 'protobuf', new Uint8Array(bodies[0]));
}

export function exportSpans(spans: ReadableSpan[]): Promise<TelemetryBatch> {
  return capture('traces', (url) => {
    const ex = new OTLPTraceExporter({ url });
    return new Promise<ExportResult>((r) => ex.export(spans, r)).finally(() => ex.shutdown());
  });
}

export function exportLogs(logs: ReadableLogRecord[]): Promise<TelemetryBatch> {
  return capture('logs', (url) => {
    const ex = new OTLPLogExporter({ url });
    return new Promise<ExportResult>((r) => ex.export(logs, r)).finally(() => ex.shutdown());
  });
}

export function exportMetrics(metrics: ResourceMetrics): Promise<TelemetryBatch> {
  return capture('metrics', (url) => {
    const ex = new OTLPMetricExporter({ url });
    return new Promise<ExportResult>((r) => ex.export(metrics, r)).finally(() => ex.shutdown());
  });
}

/** Runs `fn` with an SDK tracer and returns the finished spans, decoded as the receiver would. */
export async function traced(resource: Record<string, string>, fn: (tracer: Tracer) => void): Promise<TelemetryBatch> {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(mem)] });
  fn(provider.getTracer('test.analysis', '1.0.0'));
  await provider.forceFlush();
  const spans = mem.getFinishedSpans();
  await provider.shutdown();
  return exportSpans(spans);
}

export async function logged(resource: Record<string, string>, fn: (logger: Logger) => void): Promise<TelemetryBatch> {
  const mem = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes(resource), processors: [new SimpleLogRecordProcessor({ exporter: mem })] });
  fn(provider.getLogger('test.analysis', '1.0.0'));
  await provider.forceFlush();
  const logs = mem.getFinishedLogRecords();
  await provider.shutdown();
  return exportLogs(logs);
}

/** In-memory `getState/putState` with JSON round-tripping (as the store does). */
export class MemoryState {
  readonly data = new Map<string, string>();
  puts = 0;
  async getState<T>(key: string): Promise<T | undefined> {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async putState(key: string, value: unknown): Promise<void> {
    this.puts++;
    this.data.set(key, JSON.stringify(value));
  }
}
