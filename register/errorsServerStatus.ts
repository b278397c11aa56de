// A span processor for the request (SERVER) spans: keeps the open ones by trace id (so an
// error that surfaces after its child span ended is recorded on the request), and gives a
// 5xx answer that carries no exception anywhere in its trace a status message. The HTTP
// instrumentation already sets status ERROR on a 5xx, without a message; the collector
// groups an error-status span only when it has a message, so without this a handler that
// catches its error and answers 500 leaves no error group. The group is placed where the
// span is placed (the response line).
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { openServerSpans, tracesWithException } from './errorsRecord';

/** In-flight requests tracked at most; beyond it the oldest are forgotten (no leak when
 *  spans are never ended). */
const MAX_OPEN = 10_000;

export class ServerErrorStatus implements SpanProcessor {
  onStart(span: Span, _parent: Context): void {
    if (span.kind !== SpanKind.SERVER) return;
    const id = span.spanContext().traceId;
    if (openServerSpans.size >= MAX_OPEN) {
      const oldest = openServerSpans.keys().next().value as string;
      openServerSpans.delete(oldest);
      tracesWithException.delete(oldest);
    }
    if (!openServerSpans.has(id)) openServerSpans.set(id, span);
  }

  /** Before the span is frozen: its children have ended, so the trace's exceptions are known. */
  onEnding(span: Span): void {
    if (span.kind !== SpanKind.SERVER) return;
    const id = span.spanContext().traceId;
    const code = statusCodeOf(span);
    if (code !== undefined && code >= 500 && !tracesWithException.has(id) && !span.events.some((e) => e.name === 'exception')) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${code}` });
    }
  }

  onEnd(span: ReadableSpan): void {
    const id = span.spanContext().traceId;
    if (span.kind === SpanKind.SERVER) {
      if (openServerSpans.get(id)?.spanContext().spanId === span.spanContext().spanId) {
        openServerSpans.delete(id);
        tracesWithException.delete(id);
      }
      return;
    }
    // A child that carries an exception (recorded by an instrumentation, or by the app).
    if (openServerSpans.has(id) && span.events.some((e) => e.name === 'exception')) tracesWithException.add(id);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function statusCodeOf(span: Span): number | undefined {
  const v = span.attributes['http.response.status_code'] ?? span.attributes['http.status_code'];
  return typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : undefined;
}

/** A log record that carries an exception (pino's `err`, winston's error, a console.error)
 *  is that request's exception too: its 5xx needs no status message of its own. */
export class LogExceptionMarker implements LogRecordProcessor {
  onEmit(record: SdkLogRecord): void {
    const id = record.spanContext?.traceId;
    if (id && openServerSpans.has(id) && (record.attributes['exception.type'] !== undefined || record.attributes['exception.stacktrace'] !== undefined)) {
      tracesWithException.add(id);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
