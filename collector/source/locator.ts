// The collector processor that places spans and log records in the user's workspace.
// Order per item: code.* attributes → stack traces (code.stacktrace, exception events /
// attributes; first in-app frame that resolves) → source maps (applied to any compiled JS
// location on the way) → db statement literal (client spans) → http.route definition
// (server spans). Each location carries `via` and `confidence`; ambiguity leaves the item
// unplaced rather than guessing.
// Cost contract: path resolutions are cached per raw path, parsed stacks per text, source
// maps per file (mtime); the workspace is walked at most once per folder (lazily), and the
// code index is built once per folder on the first query/route lookup.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { LogRecord, SourceLocation, Span, TelemetryBatch, Attributes } from '../model/types';
import { SpanKind } from '../model/types';
import type { FrameResolution, ParsedStack, RuntimeHint, StackFrame, WorkspaceRegistry } from './types';
import { PathResolver, type PathResolverOptions } from './pathResolver';
import { SourceMapper } from './sourceMaps';
import { CodeIndex, type CodeHit } from './codeIndex';
import { codeAttributes, str } from './attributes';
import { inAppFrames, parseStackTrace } from './stackTrace';

const STACK_CACHE = 2_000;
/** `telemetry.sdk.language` (and the parser's own names) → parser hint; unknown languages
 *  fall back to detection. */
const SDK_LANGUAGE_HINT: Record<string, RuntimeHint> = {
  nodejs: 'node', node: 'node', webjs: 'browser', browser: 'browser', python: 'python', java: 'java', go: 'go', dotnet: 'dotnet', ruby: 'ruby',
};
/** The parser hint for a `telemetry.sdk.language` value ('auto' when unknown or absent). */
export function runtimeHintForLanguage(lang: string | undefined): RuntimeHint {
  return (lang && SDK_LANGUAGE_HINT[lang]) || 'auto';
}

/** In-app frames tried per stack before giving up. */
const FRAMES_TRIED = 8;

export interface LocatorStats {
  spans: number;
  logs: number;
  located: Record<SourceLocation['via'], number>;
  ambiguous: number;
  unplaced: number;
  /** Items whose placement threw (a bug or an unexpected file); they stay unplaced, the batch goes on. */
  errors: number;
  lastError?: string;
}

export interface StackLocation {
  stack: ParsedStack;
  location?: SourceLocation;
  /** Why no frame could be placed, when none could. */
  reason?: string;
}

export class Locator {
  readonly paths: PathResolver;
  readonly sourceMaps: SourceMapper;
  private readonly codeIndexes = new Map<string, CodeIndex>();
  private readonly stackCache = new Map<string, StackLocation>();
  /** Query and route answers per statement/route text: a miss scans the literal keys, so it is remembered. */
  private readonly codeCache = new Map<string, SourceLocation | null>();
  readonly stats: LocatorStats = { spans: 0, logs: 0, located: { attribute: 0, stack: 0, sourcemap: 0, literal: 0, route: 0 }, ambiguous: 0, unplaced: 0, errors: 0 };

  constructor(registry: WorkspaceRegistry, options: PathResolverOptions = {}) {
    this.paths = new PathResolver(registry, options);
    // Source maps are workspace files: the generated file and its map are read only inside the folders.
    this.sourceMaps = new SourceMapper((p) => this.paths.boundary.contain(p));
  }

  /**
   * The Processor entry point: sets `location` on spans and log records in place. Never throws:
   * placement is best effort, and one odd item must not fail the batch (the pipeline would
   * refuse the whole export); failures are counted in `stats.errors`.
   */
  locateBatch(batch: TelemetryBatch): void {
    try {
      if (this.paths.sync()) { this.stackCache.clear(); this.codeCache.clear(); }
    } catch (err) {
      this.failed(err);
      return;
    }
    const byId = new Map(batch.spans.map((s) => [s.spanId, s]));
    for (const span of batch.spans) {
      this.stats.spans++;
      if (span.location) continue;
      this.place(span, () => this.locateSpan(span, requestMethod(span, byId)));
    }
    for (const log of batch.logs) {
      this.stats.logs++;
      if (log.location) continue;
      this.place(log, () => this.locateLog(log));
    }
  }

  private place(item: { location?: SourceLocation }, find: () => SourceLocation | undefined): void {
    try {
      const loc = find();
      if (loc) { item.location = { ...loc }; this.stats.located[loc.via]++; } else this.stats.unplaced++;
    } catch (err) {
      this.failed(err);
      this.stats.unplaced++;
    }
  }

  private failed(err: unknown): void {
    this.stats.errors++;
    this.stats.lastError = err instanceof Error ? err.message : String(err);
  }

  /** `method`: the request's HTTP method when the span does not carry it (a framework's
   *  handler span under its server span); see `requestMethod`. */
  locateSpan(span: Span, method = spanMethod(span)): SourceLocation | undefined {
    const hint = hintFor(span.resource?.attributes);
    const fromAttrs = this.fromCodeAttributes(span.attributes, hint);
    if (fromAttrs) return fromAttrs;
    const stackLocation = (): SourceLocation | undefined => {
      for (const ev of span.events) {
        if (ev.name !== 'exception') continue;
        const st = str(ev.attributes['exception.stacktrace']);
        const loc = st ? this.locateStack(st, hint).location : undefined;
        if (loc) return loc;
      }
      return undefined;
    };
    // Server and framework handler spans belong at the handler, whether the call failed or
    // not: the route comes before the exception stack, so a handler's lens counts every call.
    const route = handlerRoute(span);
    if (route) {
      const loc = this.locateRoute(route, method);
      if (loc) return loc;
      // Several handlers declare this route (GET and POST of one path, method unknown): the
      // exception stack may say which one ran; a throw elsewhere never places a handler span.
      const hits = this.routeHits(route, method);
      if (hits.length > 1) return this.handlerAround(hits, stackLocation());
    }
    const thrown = stackLocation();
    if (thrown) return thrown;
    if (span.kind === SpanKind.Client) {
      const stmt = str(span.attributes['db.query.text']) ?? str(span.attributes['db.statement']);
      if (stmt) {
        const loc = this.locateSql(stmt);
        if (loc) return loc;
      }
    }
    return undefined;
  }

  locateLog(log: LogRecord): SourceLocation | undefined {
    const hint = hintFor(log.resource?.attributes);
    const fromAttrs = this.fromCodeAttributes(log.attributes, hint);
    if (fromAttrs) return fromAttrs;
    const st = str(log.attributes['exception.stacktrace']);
    return st ? this.locateStack(st, hint).location : undefined;
  }

  /** Parse a stack trace and place its first in-app frame that resolves (cached per text). */
  locateStack(text: string, hint: RuntimeHint = 'auto'): StackLocation {
    const key = text.length > 256 ? `${hint}:${createHash('sha1').update(text).digest('hex')}` : `${hint}:${text}`;
    const hit = this.stackCache.get(key);
    if (hit) return hit;
    const stack = parseStackTrace(text, hint);
    const result: StackLocation = { stack };
    const frames = inAppFrames(stack);
    let lastReason = stack.reason ?? (frames.length ? undefined : 'no in-app frame with a file');
    for (const frame of frames.slice(0, FRAMES_TRIED)) {
      const r = this.resolveFrame(frame, 'stack');
      if (r.kind === 'location') { result.location = r.location; break; }
      if (r.kind === 'ambiguous') this.stats.ambiguous++;
      lastReason = r.reason;
    }
    if (!result.location) result.reason = lastReason;
    if (this.stackCache.size >= STACK_CACHE) this.stackCache.clear();
    this.stackCache.set(key, result);
    return result;
  }

  /** A frame (or attribute location) → workspace location, through a source map when the file is compiled JS with one. */
  resolveFrame(frame: Pick<StackFrame, 'file' | 'line' | 'column' | 'function'>, via: 'stack' | 'attribute'): FrameResolution {
    if (!frame.file) return { kind: 'unresolved', reason: 'frame has no file' };
    if (!frame.line) return { kind: 'unresolved', reason: 'frame has no line number' };
    const r = this.paths.resolve(frame.file);
    if (r.kind !== 'file') return r;
    const factor = via === 'stack' ? 0.9 : 1;
    if (this.sourceMaps.isCandidate(r.file)) {
      const m = this.sourceMaps.map(r.file, frame.line, frame.column);
      if (m) {
        // The map's source may name a file that is not where it says (`webpack://app/./src/x.ts`,
        // a CI build path): then it is matched against the workspace like any deployed path.
        // A map's `sources` are input too (`../../../../etc/passwd`): only a file inside the folders is taken as is.
        let file: string | undefined = this.paths.boundary.contain(m.file);
        let confidence = r.confidence * factor * 0.95;
        if (!file || !existsFile(file)) {
          const s = this.paths.resolve(m.source);
          file = s.kind === 'file' ? s.file : undefined;
          if (s.kind === 'file') confidence *= s.confidence;
        }
        if (file) {
          return {
            kind: 'location',
            location: { file, line: m.line, column: m.column, function: frame.function ?? m.name, via: 'sourcemap', confidence: round(confidence) },
            generated: { file: r.file, line: frame.line, column: frame.column },
          };
        }
      }
    }
    const location: SourceLocation = { file: r.file, line: frame.line, via, confidence: round(r.confidence * factor) };
    if (frame.column) location.column = frame.column;
    if (frame.function) location.function = frame.function;
    return { kind: 'location', location };
  }

  locateSql(statement: string): SourceLocation | undefined {
    return this.cachedCode(`sql:${statement}`, () => this.computeSql(statement));
  }

  locateRoute(route: string, method?: string): SourceLocation | undefined {
    return this.cachedCode(`route:${method ?? ''}:${route}`, () => this.computeRoute(route, method));
  }

  private cachedCode(key: string, compute: () => SourceLocation | undefined): SourceLocation | undefined {
    const hit = this.codeCache.get(key);
    if (hit !== undefined) return hit ? { ...hit } : undefined;
    const loc = compute();
    if (this.codeCache.size >= STACK_CACHE * 5) this.codeCache.clear();
    this.codeCache.set(key, loc ?? null);
    return loc ? { ...loc } : undefined;
  }

  private computeSql(statement: string): SourceLocation | undefined {
    const hits: CodeHit[] = [];
    let exact = true;
    for (const folder of this.paths.workspaceFolders()) {
      const r = this.codeIndex(folder).findSql(statement);
      hits.push(...r.hits);
      exact = exact && r.exact;
    }
    return this.single(hits, 'literal', exact ? 0.8 : 0.6);
  }

  private computeRoute(route: string, method?: string): SourceLocation | undefined {
    const hits: CodeHit[] = [];
    let exact = true;
    for (const folder of this.paths.workspaceFolders()) {
      const r = this.codeIndex(folder).findRoute(route, method);
      hits.push(...r.hits);
      exact = exact && r.exact;
    }
    return this.single(hits, 'route', exact ? 0.85 : 0.6);
  }

  private routeHits(route: string, method?: string): CodeHit[] {
    return this.paths.workspaceFolders().flatMap((folder) => this.codeIndex(folder).findRoute(route, method).hits);
  }

  /** Of several handlers declaring one route, the one whose declaration is the nearest above
   *  `thrown` in the same file (the handler the exception was thrown in), else none. */
  private handlerAround(hits: CodeHit[], thrown: SourceLocation | undefined): SourceLocation | undefined {
    if (!thrown) return undefined;
    let best: CodeHit | undefined;
    for (const h of hits) if (h.file === thrown.file && h.line <= thrown.line && (!best || h.line > best.line)) best = h;
    return best && { file: best.file, line: best.line, column: best.column, via: 'route', confidence: 0.75 };
  }

  /** Rebuild file and code indexes of one folder (or all) on next use. */
  refresh(folder?: string): void {
    this.paths.refresh(folder);
    for (const [key, idx] of this.codeIndexes) if (!folder || key === folder) idx.refresh();
    this.stackCache.clear();
    this.codeCache.clear();
  }

  /**
   * Build the file and code indexes of every open folder now, so the first span that needs
   * them does not pay for the walk. Call it when folders are registered (off the ingest path).
   */
  prepare(): void {
    this.paths.sync();
    for (const folder of this.paths.workspaceFolders()) {
      this.paths.index(folder).sources();
      this.codeIndex(folder).findRoute('/');
    }
  }

  /** From a file watcher: keep the file and code indexes current without rescanning. */
  fileCreated(abs: string): void {
    this.paths.fileCreated(abs);
    this.fileChanged(abs);
  }

  fileDeleted(abs: string): void {
    this.paths.fileDeleted(abs);
    this.fileChanged(abs);
  }

  fileChanged(abs: string): void {
    const p = abs.replace(/\\/g, '/');
    for (const idx of this.codeIndexes.values()) idx.fileChanged(p);
    this.codeCache.clear();
    this.stackCache.clear();
  }

  private codeIndex(folder: string): CodeIndex {
    let idx = this.codeIndexes.get(folder);
    if (!idx) {
      idx = new CodeIndex(this.paths.index(folder));
      this.codeIndexes.set(folder, idx);
    }
    return idx;
  }

  private single(hits: CodeHit[], via: 'literal' | 'route', confidence: number): SourceLocation | undefined {
    if (hits.length === 0) return undefined;
    if (hits.length > 1) { this.stats.ambiguous++; return undefined; }
    const h = hits[0];
    return { file: h.file, line: h.line, column: h.column, via, confidence };
  }

  private fromCodeAttributes(attrs: Attributes, hint: RuntimeHint): SourceLocation | undefined {
    const code = codeAttributes(attrs);
    if (code.file && code.line) {
      const r = this.resolveFrame({ file: code.file, line: code.line, column: code.column, function: code.function }, 'attribute');
      if (r.kind === 'location') return r.location;
      if (r.kind === 'ambiguous') this.stats.ambiguous++;
    }
    if (code.stacktrace) return this.locateStack(code.stacktrace, hint).location;
    return undefined;
  }
}

function existsFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    // Not on disk (or a URL): the caller falls back to suffix matching.
    return false;
  }
}

function spanMethod(span: Span): string | undefined {
  return str(span.attributes['http.request.method']) ?? str(span.attributes['http.method']);
}

/** The HTTP method of the request a span belongs to: its own, else that of its nearest
 *  ancestor in the same batch that has one (express's handler spans carry none; their server
 *  span usually ends in the same export, a few microseconds later). */
export function requestMethod(span: Span, byId: Map<string, Span>): string | undefined {
  let s: Span | undefined = span;
  for (let d = 0; s && d < 16; d++) {
    const m = spanMethod(s);
    if (m) return m;
    s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
  }
  return undefined;
}

/** The route of a span that is a request's handler: a server span, or a framework's handler
 *  span (express `request_handler`, Fastify/Koa/Nest handler spans) carrying `http.route`. */
export function handlerRoute(span: Span): string | undefined {
  const route = str(span.attributes['http.route']);
  if (!route) return undefined;
  if (span.kind === SpanKind.Server) return route;
  const type = str(span.attributes['express.type']) ?? str(span.attributes['koa.type']) ?? str(span.attributes['fastify.type']) ?? str(span.attributes['nestjs.type']);
  if (type === 'request_handler' || type === 'handler' || type === 'request_context' || type === 'route') return route;
  return undefined;
}

function hintFor(resource: Attributes | undefined): RuntimeHint {
  const lang = resource ? str(resource['telemetry.sdk.language']) : undefined;
  return (lang && SDK_LANGUAGE_HINT[lang]) || 'auto';
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
