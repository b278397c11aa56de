// A SpanProcessor that records where in the app a span was started, as the semantic
// conventions' code.* attributes. Cost control: one structured stack capture per span,
// and only for spans that can have app frames on their stack at start: spans the app
// starts itself, outgoing calls and database calls. Incoming HTTP server spans start in
// Node's http module with no app frame on the stack; serverLocation.ts places them where
// the app writes the response instead.
import type { Context } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { firstAppFrame } from './stackFrame';
import type { AppFrame } from './stackFrame';
import { LocationCache } from './locationCache';

export const ATTR_FILE = 'code.file.path';
export const ATTR_LINE = 'code.line.number';
export const ATTR_COLUMN = 'code.column.number';
export const ATTR_FUNCTION = 'code.function.name';

export function setCodeAttributes(span: { setAttribute(k: string, v: string | number): unknown }, f: AppFrame): void {
  span.setAttribute(ATTR_FILE, f.file);
  span.setAttribute(ATTR_LINE, f.line);
  if (f.column) span.setAttribute(ATTR_COLUMN, f.column);
  if (f.function) span.setAttribute(ATTR_FUNCTION, f.function);
}

/** Counters for the benchmark and for tests. */
export interface LocationStats {
  captured: number;
  skipped: number;
  notFound: number;
}

/** The cache key of a span's call site: what usually stays the same for one site. */
function spanKey(span: Span): string | undefined {
  const a = span.attributes;
  const peer = a['db.query.text'] ?? `${a['server.address'] ?? ''}:${a['server.port'] ?? ''}`;
  return `${span.instrumentationScope.name}|${span.kind}|${span.name}|${String(peer)}`;
}

export class CodeLocationProcessor implements SpanProcessor {
  readonly stats: LocationStats = { captured: 0, skipped: 0, notFound: 0 };

  constructor(readonly cache: LocationCache = new LocationCache()) {}

  onStart(span: Span, _parent: Context): void {
    if (!this.wants(span)) {
      this.stats.skipped++;
      return;
    }
    const frame = this.cache.get(spanKey(span), () => firstAppFrame(CodeLocationProcessor.prototype.onStart));
    if (!frame) {
      this.stats.notFound++;
      return;
    }
    this.stats.captured++;
    setCodeAttributes(span, frame);
  }

  private wants(span: Span): boolean {
    if (span.attributes[ATTR_FILE] !== undefined) return false; // the app said where itself
    // Instrumented incoming requests: no app frame at start (see file comment).
    if (span.kind === SpanKind.SERVER && span.instrumentationScope.name === '@opentelemetry/instrumentation-http') return false;
    return true;
  }

  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
