// A SpanProcessor that records where in the app a span was started, as the semantic
// conventions' code.* attributes: the first app frame of the stack at start (V8 keeps the
// awaiting app frames of an async chain on that stack). Database, cache and HTTP-client
// spans that a driver starts in a callback with no app frame left (pg's query after
// pool.connect) take the site of their parent CLIENT span located here (the same app
// call), else the call site callSite.ts carried in the context from the app-facing call. One structured capture per span, no cache by
// default: a cache keyed on anything but the call itself can put a span in another
// handler's file. Not located here: incoming HTTP server spans and the web frameworks'
// handler/middleware spans, which start inside the framework (the stack then shows the
// previous middleware that called next()); routeSites.ts, routeSitesNest.ts and serverLocation.ts place those.
import { middlewareSite, routeHandlerSite } from './routeSites';
import { nestRouteSiteIn } from './routeSitesNest';
import type { Context } from '@opentelemetry/api';
import { SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { firstAppFrame } from './stackFrame';
import type { AppFrame } from './stackFrame';
import { LocationCache } from './locationCache';
import { callSiteIn } from './callSite';

/** Web-framework instrumentations whose spans start inside the framework (see file comment). */
const FRAMEWORK_SCOPES = new Set([
  '@opentelemetry/instrumentation-express',
  '@opentelemetry/instrumentation-koa',
  '@opentelemetry/instrumentation-nestjs-core',
  '@fastify/otel',
]);

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

  /** Sites of the spans located here, for children started where no app frame is left. */
  private readonly sites = new WeakMap<object, AppFrame>();

  /** `cache` is opt-in (VIBEWATCH_CODE_LOCATIONS=sampled); disabled it captures every time. */
  constructor(readonly cache: LocationCache = new LocationCache({ warmup: 0, every: 1, maxKeys: 0, enabled: false })) {}

  onStart(span: Span, parent: Context): void {
    if (!this.wants(span, parent)) {
      this.stats.skipped++;
      return;
    }
    const frame = this.cache.get(spanKey(span), () => firstAppFrame(CodeLocationProcessor.prototype.onStart)) ?? this.inherited(parent);
    if (!frame) {
      this.stats.notFound++;
      return;
    }
    this.stats.captured++;
    setCodeAttributes(span, frame);
    if (span.kind === SpanKind.CLIENT) this.sites.set(span, frame);
  }

  private inherited(parent: Context): AppFrame | undefined {
    const p = trace.getSpan(parent);
    return (p ? this.sites.get(p) : undefined) ?? callSiteIn(parent);
  }

  private wants(span: Span, parent: Context): boolean {
    if (span.attributes[ATTR_FILE] !== undefined) return false; // the app said where itself
    // Instrumented incoming requests: no app frame at start (see file comment).
    if (span.kind === SpanKind.SERVER && span.instrumentationScope.name === '@opentelemetry/instrumentation-http') return false;
    if (FRAMEWORK_SCOPES.has(span.instrumentationScope.name)) {
      // A NestJS request-context or handler span: at its route decorator (routeSitesNest.ts).
      // Fastify's handler span: at the route's registering line.
      // A middleware or router span: at the line the app mounted it, when it did (not
      // Express's own `query`/`expressInit`, which the collector shows as issued from the handler).
      const site = nestRouteSiteIn(parent) ?? routeHandlerSite() ?? middlewareSite();
      if (site) setCodeAttributes(span, site);
      return false;
    }
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
