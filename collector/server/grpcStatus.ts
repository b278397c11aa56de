// gRPC statuses of the OTLP/gRPC receiver, from the same HttpError the HTTP route throws, so
// both protocols answer one condition alike (OTLP spec, "OTLP/gRPC Response" and "Throttling"):
//   back-pressure, not yet admitting, shutting down, store failed → UNAVAILABLE + RetryInfo
//   undecodable input                                              → INVALID_ARGUMENT
//   oversize (grpc-js enforces it, after gzip too)                 → RESOURCE_EXHAUSTED
//   missing / wrong API key                                        → UNAUTHENTICATED
//   request addressed to a non-loopback name in loopback mode     → PERMISSION_DENIED
// RESOURCE_EXHAUSTED is never used for back-pressure: exporters retry it only with RetryInfo,
// and an oversize message must not be retried at all.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { otlpTypes } from '../receiver/schema';
import { HttpError } from './httpUtil';

const RETRY_INFO_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** The trailer `grpc-status-details-bin`: a google.rpc.Status holding one RetryInfo. */
export function retryDetails(code: number, message: string, retryAfterSec: number): Buffer {
  const t = otlpTypes();
  const retry = t.retryInfo.encode(t.retryInfo.fromObject({ retryDelay: { seconds: Math.max(0, Math.ceil(retryAfterSec)), nanos: 0 } })).finish();
  return Buffer.from(t.rpcStatus.encode(t.rpcStatus.fromObject({ code, message, details: [{ typeUrl: RETRY_INFO_URL, value: retry }] })).finish());
}

/** Reads the retry delay (seconds) out of a `grpc-status-details-bin` value, if it has one. */
export function retryDelayOf(details: Buffer): number | undefined {
  const t = otlpTypes();
  const st = t.rpcStatus.toObject(t.rpcStatus.decode(details), { longs: Number }) as { details?: { typeUrl: string; value: Uint8Array }[] };
  const any = st.details?.find((d) => d.typeUrl === RETRY_INFO_URL);
  if (!any) return undefined;
  const info = t.retryInfo.toObject(t.retryInfo.decode(any.value), { longs: Number, defaults: true }) as { retryDelay?: { seconds: number; nanos: number } };
  return info.retryDelay ? info.retryDelay.seconds + info.retryDelay.nanos / 1e9 : undefined;
}

export type GrpcError = Partial<ServiceError> & { code: status; details: string };

export function grpcErrorOf(err: HttpError): GrpcError {
  if (err.rpcCode === 14 || err.status === 429 || err.status === 503) {
    const code = status.UNAVAILABLE;
    const delay = Number(err.headers['retry-after'] ?? 1);
    const metadata = new Metadata();
    metadata.set('grpc-status-details-bin', retryDetails(code, err.message, Number.isFinite(delay) ? delay : 1));
    return { code, details: err.message, metadata };
  }
  if (err.status === 413) return { code: status.RESOURCE_EXHAUSTED, details: err.message };
  if (err.status === 401) return { code: status.UNAUTHENTICATED, details: err.message };
  if (err.status === 403) return { code: status.PERMISSION_DENIED, details: err.message };
  if (err.status === 400) return { code: status.INVALID_ARGUMENT, details: err.message };
  return { code: status.INTERNAL, details: err.message };
}
