// OTLP/HTTP response bodies in the request's encoding: Export*ServiceResponse (with
// partial_success when items were dropped) and google.rpc.Status for errors.
import type { Encoding, Signal } from './decode';
import { otlpTypes } from './schema';

const PARTIAL_FIELD: Record<Signal, string> = { traces: 'rejectedSpans', logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' };

export function exportResponse(signal: Signal, encoding: Encoding, rejected: number, errorMessage: string): Uint8Array {
  const partial = rejected > 0 || errorMessage ? { [PARTIAL_FIELD[signal]]: rejected, errorMessage } : undefined;
  if (encoding === 'json') {
    // OTLP JSON spells int64 as a decimal string.
    return Buffer.from(JSON.stringify(partial ? { partialSuccess: { [PARTIAL_FIELD[signal]]: String(rejected), errorMessage } } : {}));
  }
  const t = otlpTypes();
  const type = signal === 'traces' ? t.traceResponse : signal === 'logs' ? t.logsResponse : t.metricsResponse;
  return type.encode(type.fromObject(partial ? { partialSuccess: partial } : {})).finish();
}

/** google.rpc.Status codes used here: 3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE, 16 UNAUTHENTICATED. */
export function statusBody(encoding: Encoding, code: number, message: string): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const t = otlpTypes().status;
  return t.encode(t.fromObject({ code, message })).finish();
}
