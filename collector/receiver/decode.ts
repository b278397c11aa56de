// One entry point per request: bytes in, a validated TelemetryBatch out.
// Throws `DecodeError` (→ HTTP 400) when the body as a whole cannot be read; individual
// bad items are rejected and counted in `batch.rejected` (→ 200 with partial_success).
import { emptyBatch, type TelemetryBatch } from '../model/types';
import { readLogs } from './logs';
import { readMetrics } from './metrics';
import { otlpTypes } from './schema';
import { readTraces } from './traces';
import { DEFAULT_LIMITS, ItemError, type Ctx, type ReceiverLimits } from './values';

export type Signal = 'traces' | 'logs' | 'metrics';
export type Encoding = 'json' | 'protobuf';

export class DecodeError extends Error {}

/** Distinct rejection reasons kept per batch (the count is always exact). */
const MAX_REASONS = 10;

export function decodeOtlp(signal: Signal, encoding: Encoding, body: Uint8Array, limits: Partial<ReceiverLimits> = DEFAULT_LIMITS, receivedAtNs?: bigint): TelemetryBatch {
  const batch = emptyBatch(receivedAtNs);
  let req: unknown;
  if (encoding === 'json') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch (err) {
      throw new DecodeError(`body is not valid UTF-8: ${(err as Error).message}`);
    }
    try {
      req = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      throw new DecodeError(`malformed JSON: ${(err as Error).message}`);
    }
    if (req === null || typeof req !== 'object' || Array.isArray(req)) throw new DecodeError('JSON body must be an object (an Export*ServiceRequest)');
  } else {
    const t = otlpTypes();
    const type = signal === 'traces' ? t.traceRequest : signal === 'logs' ? t.logsRequest : t.metricsRequest;
    try {
      req = type.decode(body);
    } catch (err) {
      throw new DecodeError(`malformed protobuf ${type.name}: ${(err as Error).message}`);
    }
  }
  const ctx: Ctx = { limits: { ...DEFAULT_LIMITS, ...limits }, batch };
  const reject = (what: 'spans' | 'logs' | 'metrics', n: number, reason: string) => {
    batch.rejected[what] += n;
    if (batch.rejected.reasons.length < MAX_REASONS && !batch.rejected.reasons.includes(reason)) batch.rejected.reasons.push(reason);
  };
  try {
    if (signal === 'traces') readTraces(req, ctx, reject);
    else if (signal === 'logs') readLogs(req, ctx, reject);
    else readMetrics(req, ctx, reject);
  } catch (err) {
    // Structural errors (a list that is not a list...) and invalid resources or scopes,
    // which no single item owns, make the whole request unreadable.
    if (err instanceof TypeError || err instanceof ItemError) throw new DecodeError(`invalid ${signal} request: ${err.message}`);
    throw err;
  }
  return batch;
}

/** Items of this signal the batch rejected. */
export function rejectedCount(batch: TelemetryBatch, signal: Signal): number {
  return signal === 'traces' ? batch.rejected.spans : signal === 'logs' ? batch.rejected.logs : batch.rejected.metrics;
}
