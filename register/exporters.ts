// OTLP/HTTP exporters for the three signals, each wrapped so that a collector that is down
// costs the app one warning line in total (and one "reachable again" line when it comes
// back), never an exception and never a line per export.
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter as LogJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { SpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { endpointFor, protocolFor } from './config';
import type { Signal } from './config';

/** Shared by the three exporters: the first failure prints one line, later ones are counted. */
export class ExportHealth {
  failures = 0;
  private down = false;
  constructor(private readonly write: (line: string) => void) {}

  report(signal: Signal, result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      if (this.down) this.write(`[vibewatch] telemetry is reaching the collector again (${this.failures} export(s) dropped meanwhile)`);
      this.down = false;
      return;
    }
    this.failures++;
    if (this.down) return;
    this.down = true;
    const why = result.error?.message ?? 'unknown error';
    this.write(`[vibewatch] cannot export ${signal} to the collector (${why}); dropping telemetry until it is reachable. Start it with \`npx vibewatch collect\` or set OTEL_EXPORTER_OTLP_ENDPOINT.`);
  }
}

type Exportable<T> = { export(items: T, done: (r: ExportResult) => void): void };

function watch<T, E extends Exportable<T>>(exporter: E, signal: Signal, health: ExportHealth): E {
  const original = exporter.export.bind(exporter);
  exporter.export = (items: T, done: (r: ExportResult) => void) => {
    try {
      original(items, (r) => {
        health.report(signal, r);
        done(r);
      });
    } catch (err) {
      const r: ExportResult = { code: ExportResultCode.FAILED, error: err as Error };
      health.report(signal, r);
      done(r);
    }
  };
  return exporter;
}

const TIMEOUT_MS = 5000;

export function traceExporter(env: NodeJS.ProcessEnv, health: ExportHealth): SpanExporter {
  const url = endpointFor('traces', env);
  const cfg = { ...(url ? { url } : {}), timeoutMillis: TIMEOUT_MS };
  const e = protocolFor('traces', env) === 'http/json' ? new TraceJson(cfg) : new TraceProto(cfg);
  return watch<ReadableSpan[], SpanExporter>(e, 'traces', health);
}

export function logExporter(env: NodeJS.ProcessEnv, health: ExportHealth): LogRecordExporter {
  const url = endpointFor('logs', env);
  const cfg = { ...(url ? { url } : {}), timeoutMillis: TIMEOUT_MS };
  const e = protocolFor('logs', env) === 'http/json' ? new LogJson(cfg) : new LogProto(cfg);
  return watch<ReadableLogRecord[], LogRecordExporter>(e, 'logs', health);
}

export function metricExporter(env: NodeJS.ProcessEnv, health: ExportHealth): PushMetricExporter {
  const url = endpointFor('metrics', env);
  const cfg = { ...(url ? { url } : {}), timeoutMillis: TIMEOUT_MS };
  const e = protocolFor('metrics', env) === 'http/json' ? new MetricJson(cfg) : new MetricProto(cfg);
  return watch<ResourceMetrics, PushMetricExporter>(e, 'metrics', health);
}
