// Sends telemetry made by otelPayloads.ts with the official OTLP/gRPC exporters
// (exporter-{trace,logs,metrics}-otlp-grpc), and raw gRPC calls for input no exporter sends.
import { connect, constants } from 'node:http2';
import { gzipSync } from 'node:zlib';
import { Client, credentials, Metadata, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface GrpcSendOptions {
  /** gRPC metadata, e.g. { 'x-vibewatch-key': 'k' }. */
  metadata?: Record<string, string>;
  compression?: CompressionAlgorithm;
}

function exporterConfig(url: string, opts: GrpcSendOptions) {
  const metadata = new Metadata();
  for (const [k, v] of Object.entries(opts.metadata ?? {})) metadata.set(k, v);
  return { url, metadata, compression: opts.compression ?? CompressionAlgorithm.NONE, timeoutMillis: 15_000 };
}

type Exporter<T> = { export(items: T, cb: (r: ExportResult) => void): void; shutdown(): Promise<void> };
function run<T>(exporter: Exporter<T>, items: T): Promise<ExportResult> {
  return new Promise<ExportResult>((resolve) => exporter.export(items, resolve)).finally(() => exporter.shutdown());
}

export const sendSpansGrpc = (url: string, spans: ReadableSpan[], opts: GrpcSendOptions = {}) => run(new OTLPTraceExporter(exporterConfig(url, opts)), spans);
export const sendLogsGrpc = (url: string, logs: ReadableLogRecord[], opts: GrpcSendOptions = {}) => run(new OTLPLogExporter(exporterConfig(url, opts)), logs);
export const sendMetricsGrpc = (url: string, metrics: ResourceMetrics, opts: GrpcSendOptions = {}) => run(new OTLPMetricExporter(exporterConfig(url, opts)), metrics);

export const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
export const LOGS_EXPORT = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

export interface RawReply {
  error?: ServiceError;
  response?: Buffer;
}

/** One unary call with bytes as they are (grpc-js does the framing, and gzip when asked). */
export function rawUnary(port: number, path: string, body: Buffer, opts: { metadata?: Record<string, string>; gzip?: boolean; channel?: ChannelOptions } = {}): Promise<RawReply> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), { ...(opts.gzip ? { 'grpc.default_compression_algorithm': 2 } : {}), ...opts.channel });
  const md = new Metadata();
  for (const [k, v] of Object.entries(opts.metadata ?? {})) md.set(k, v);
  const id = (b: Buffer) => b;
  return new Promise<RawReply>((resolve) => {
    client.makeUnaryRequest(path, id, id, body, md, { deadline: Date.now() + 15_000 }, (error, response) => resolve(error ? { error } : { response }));
  }).finally(() => client.close());
}

/** A hand-framed gRPC call over HTTP/2 whose message is `gzipSync(inflated)` with the
 *  compressed flag set: what a gzip bomb looks like on the wire. Resolves with grpc-status. */
export function gzipFramedCall(port: number, path: string, inflated: Buffer): Promise<{ status: number; message: string; sentBytes: number }> {
  const compressed = gzipSync(inflated);
  const frame = Buffer.alloc(5 + compressed.length);
  frame[0] = 1;
  frame.writeUInt32BE(compressed.length, 1);
  compressed.copy(frame, 5);
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const req = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: path,
      'content-type': 'application/grpc', te: 'trailers', 'grpc-encoding': 'gzip', 'grpc-accept-encoding': 'identity,gzip',
    });
    let headers: Record<string, unknown> = {};
    req.on('response', (h) => { headers = h; });
    req.on('trailers', (t) => { headers = { ...headers, ...t }; });
    req.on('data', () => undefined);
    req.on('close', () => {
      session.close();
      resolve({ status: Number(headers['grpc-status']), message: decodeURIComponent(String(headers['grpc-message'] ?? '')), sentBytes: frame.length });
    });
    req.on('error', reject);
    req.end(frame);
  });
}
