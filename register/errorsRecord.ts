// Records an error the app did not log as an `exception` event (exception.type, .message,
// .stacktrace) with status ERROR on the span it happened in, once per error object. The
// span is the active one while it is still open, else the request (SERVER) span of the same
// trace, which ServerErrorStatus tracks. "Once" is per error object and trace: an error
// object the app reuses across requests is recorded in each. The collector counts one
// exception seen on two spans of a trace once (same type, message and stack), so a second
// recording by another instrumentation (express's layer spans) does not double the group.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';

/** Error object → the trace it was last recorded in ('' outside any trace). */
const recorded = new WeakMap<object, string>();
const traceOf = (span: Span | undefined) => span?.spanContext().traceId ?? '';

/** Open SERVER spans by trace id, kept by ServerErrorStatus (onStart → onEnd). */
export const openServerSpans = new Map<string, Span>();
/** Ends the request spans still open (the process is exiting: they would never end), marked
 *  `vibewatch.ended_at_exit`; their status and events stay as they are. */
export function endOpenServerSpans(): void {
  for (const span of [...openServerSpans.values()]) {
    if (!span.isRecording()) continue;
    span.setAttribute('vibewatch.ended_at_exit', true);
    span.end();
  }
}

/** Traces of open SERVER spans in which an exception was recorded (by us or anyone). */
export const tracesWithException = new Set<string>();

/** The declared HTTP status of an error (http-errors, finalhandler's convention), if any. */
export function declaredStatus(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { status?: unknown; statusCode?: unknown };
  const s = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  return s !== undefined && s >= 100 && s < 600 ? s : undefined;
}

/** True when `err` was recorded (or handed to recordError) before in this trace. */
export function alreadyRecorded(err: unknown, span: Span | undefined = trace.getActiveSpan()): boolean {
  return !!err && typeof err === 'object' && recorded.get(err) === traceOf(span);
}

/** Records `err` on the span it belongs to; returns that span, or undefined when there is
 *  none or the error was recorded before. Errors that declare a status below 500 (a 404 or
 *  a validation error passed to next(err)) are the app's answer, not a fault: skipped. */
export function recordError(err: unknown, span: Span | undefined = trace.getActiveSpan()): Span | undefined {
  if (err === null || err === undefined) return undefined;
  if (typeof err === 'object') {
    if (recorded.get(err) === traceOf(span)) return undefined;
    recorded.set(err, traceOf(span));
  }
  const status = declaredStatus(err);
  if (status !== undefined && status < 500) return undefined;
  const target = span?.isRecording() ? span : span ? openServerSpans.get(span.spanContext().traceId) : undefined;
  if (!target?.isRecording()) return undefined;
  const exception = err instanceof Error ? err : typeof err === 'string' ? err : describe(err);
  target.recordException(exception);
  target.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(err) });
  const traceId = target.spanContext().traceId;
  if (openServerSpans.has(traceId)) tracesWithException.add(traceId); // cleared when that request ends
  return target;
}

function describe(err: unknown): { name?: string; message: string; stack?: string } {
  if (typeof err === 'object' && err) {
    const e = err as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      ...(typeof e.name === 'string' ? { name: e.name } : {}),
      message: typeof e.message === 'string' ? e.message : safeString(err),
      ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
    };
  }
  return { message: safeString(err) };
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  return safeString(err);
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'object' ? JSON.stringify(v) ?? String(v) : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
