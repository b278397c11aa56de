// POST /v1/traces|logs|metrics: the OTLP/HTTP receiver endpoint.
// Order of checks: method → content type → encoding → queue admission → body (size) →
// decode (400) → pipeline → 200 (partial success when items were rejected).
// The 200 is sent only after `ingest.process` resolved (the store made the batch durable).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TelemetryBatch } from '../model/types';
import { DecodeError, decodeOtlp, rejectedCount, type Encoding, type Signal } from '../receiver/decode';
import { exportResponse, statusBody } from '../receiver/respond';
import type { ReceiverLimits } from '../receiver/values';
import { bodyEncoding, drain, HttpError, readBody } from './httpUtil';

export const OTLP_PATHS: Record<string, Signal> = { '/v1/traces': 'traces', '/v1/logs': 'logs', '/v1/metrics': 'metrics' };

export interface IngestGate {
  /** Takes a queue slot, or throws HttpError 429/503 when full or shutting down. */
  admit(): void;
  release(): void;
  /** Accounts for a body held until release; throws HttpError 429 above the byte budget. */
  holdBytes(n: number): void;
  releaseBytes(n: number): void;
  /** Runs processors and the store; resolves when the batch is durable. */
  process(batch: TelemetryBatch): Promise<void>;
  /** Counts a request that failed before producing a batch (for stats/logs). */
  noteBadRequest(status: number, message: string): void;
}

export interface OtlpRouteOptions {
  maxBodyBytes: number;
  limits: ReceiverLimits;
}

const CONTENT_TYPES: Record<string, Encoding> = { 'application/json': 'json', 'application/x-protobuf': 'protobuf' };

export function contentEncodingOf(req: IncomingMessage): Encoding | undefined {
  const ct = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return CONTENT_TYPES[ct];
}

export async function handleOtlp(signal: Signal, req: IncomingMessage, res: ServerResponse, gate: IngestGate, opts: OtlpRouteOptions): Promise<void> {
  const enc = contentEncodingOf(req);
  let admitted = false;
  let held = 0;
  try {
    if (req.method !== 'POST') throw new HttpError(405, 3, `${req.method} is not allowed on ${req.url}; use POST`, { allow: 'POST, OPTIONS' });
    if (!enc) throw new HttpError(415, 3, `unsupported Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')}; use application/x-protobuf or application/json`);
    const compression = bodyEncoding(req);
    gate.admit();
    admitted = true;
    const body = await readBody(req, opts.maxBodyBytes, compression);
    gate.holdBytes(body.byteLength);
    held = body.byteLength;
    let batch: TelemetryBatch;
    try {
      batch = decodeOtlp(signal, enc, body, opts.limits);
    } catch (err) {
      if (err instanceof DecodeError) throw new HttpError(400, 3, err.message);
      throw err;
    }
    try {
      await gate.process(batch);
    } catch (err) {
      throw new HttpError(503, 14, `the collector could not store the batch: ${(err as Error).message}`, { 'retry-after': '5' });
    }
    const rejected = rejectedCount(batch, signal);
    const msg = rejected > 0 ? `rejected ${rejected} invalid item(s): ${batch.rejected.reasons.join('; ')}` : '';
    send(res, 200, enc, exportResponse(signal, enc, rejected, msg));
  } catch (err) {
    const e = err instanceof HttpError ? err : new HttpError(500, 13, `internal error: ${(err as Error).message}`);
    gate.noteBadRequest(e.status, e.message);
    // Keep the connection usable: read what is left of a small body before answering.
    if (!e.headers.connection && !(await drain(req, opts.maxBodyBytes))) e.headers.connection = 'close';
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    send(res, e.status, enc ?? 'json', statusBody(enc ?? 'json', e.rpcCode, e.message));
  } finally {
    if (held) gate.releaseBytes(held);
    if (admitted) gate.release();
  }
}

export function send(res: ServerResponse, status: number, enc: Encoding, body: Uint8Array): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('content-type', enc === 'json' ? 'application/json' : 'application/x-protobuf');
  res.setHeader('content-length', body.byteLength);
  res.end(body);
}
