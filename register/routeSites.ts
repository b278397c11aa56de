// Places server spans on the route that served them, not on the stack at response time.
// When the app registers a route (`app.get`, `router.post`, `router.route(p).put`, all of
// which end in Express's `Route.prototype[method]`), the first app frame of that call is
// the route's call site; it is stored on the handler's own Layer object (identity, not
// URL, so two routes can never share a site). When that Layer handles a request, the site
// goes on the active span (instrumentation-express's request-handler span) and on the
// incoming HTTP server span (from the RPC metadata instrumentation-http puts in context).
// It is set before the handler runs, so a handler that returns first and answers later
// (or never writes itself) is still placed. Express 4 (`handle_request`) and 5 (`handleRequest`).
// Fastify: every instance announces itself on the `fastify.initialization` diagnostics
// channel; an `onRoute` hook (run inside the app's `fastify.get(...)`/`route(...)` call)
// takes the site and wraps that route's handler. Koa (@koa/router): `Router#register`, which
// every verb method calls, takes the site and wraps the route's middleware functions
// (mounts through `router.use` register no methods and are left alone).
import { subscribe } from 'node:diagnostics_channel';
import { context, trace, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { setCodeAttributes } from './codeLocation';
import { markFrameworkLoaded } from './route';
import { appCallerVia, directAppCaller, type AppFrame } from './stackFrame';

// Files that may sit between the app's registering call and our patch: the framework itself,
// and the OpenTelemetry instrumentations wrapping it (the register's own frames are skipped).
const FRAMEWORK_FILES = /\/node_modules\/(?:express|router|fastify|koa|@koa\/router|@opentelemetry\/[^/]+|@fastify\/otel)\//;

// NestJS mounts Express's own middleware and its body parsers itself, during `app.listen()`:
// those mounts are placed at the app's line that made Nest do it (never routes: see routeSitesNest.ts).
const NEST_FILES = /\/node_modules\/@nestjs\/(?:core|platform-express)\//;

const SITE = Symbol.for('vibewatch.route.site');
/** Where the app mounted a middleware or router (`app.use(...)`, `router.use('/x', r)`). */
const USE_SITE = Symbol.for('vibewatch.use.site');
const PATCHED = Symbol.for('vibewatch.route.patched');
const METHODS = ['all', 'get', 'post', 'put', 'delete', 'patch', 'options', 'head'];

type Fn = (this: unknown, ...args: unknown[]) => unknown;
interface Proto {
  [k: string]: unknown;
  [PATCHED]?: true;
}
interface LayerLike {
  [SITE]?: AppFrame;
  [USE_SITE]?: AppFrame;
}

// The Layer Express is running right now (synchronously): instrumentation-express starts a
// middleware's span inside `handle_request`, so the span processor can read its mount site.
let runningLayer: LayerLike | undefined;

/** The mount site of the middleware or router whose span is starting now, if the app mounted it. */
export function middlewareSite(): AppFrame | undefined {
  return runningLayer?.[USE_SITE];
}
interface RouteLike {
  stack: LayerLike[];
}

/** Puts a route's call site on the span of the handler and on the request's server span
 *  (the server span keeps the first route that claims it: the one that matched first). */
export function placeOnRoute(site: AppFrame): void {
  const active = context.active();
  const handlerSpan = trace.getSpan(active) as (Span & { attributes?: Record<string, unknown> }) | undefined;
  const meta = getRPCMetadata(active);
  const server = meta?.type === RPCType.HTTP ? (meta.span as Span & { attributes?: Record<string, unknown> }) : undefined;
  if (handlerSpan && handlerSpan !== server) setCodeAttributes(handlerSpan, site);
  if (server && server.attributes?.['vibewatch.route.placed'] !== true) {
    setCodeAttributes(server, site);
    server.setAttribute('vibewatch.route.placed', true);
  }
}

export class ExpressRouteSiteInstrumentation extends InstrumentationBase {
  constructor() {
    super('vibewatch-instrumentation-express-routes', '0.1.0', {});
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition('express', ['>=4 <6'], (exports: { Route?: new (path: string) => RouteLike; Router?: unknown }) => {
      markFrameworkLoaded();
      try {
        if (typeof exports.Route === 'function') patchRoute(exports.Route);
        if (typeof exports.Router === 'function') patchUse(exports.Router as unknown as () => object);
      } catch (err) {
        process.emitWarning(`vibewatch: express route call sites unavailable: ${(err as Error).message}`);
      }
      return exports;
    });
  }
}

function patchRoute(Route: new (path: string) => RouteLike): void {
  const proto = Route.prototype as unknown as Proto;
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;
  // The Layer class is not exported: take its prototype from a throwaway route.
  const probe = new Route('/');
  (probe as unknown as Record<string, Fn>).get.call(probe, () => undefined);
  const layerProto = probe.stack[0] ? (Object.getPrototypeOf(probe.stack[0]) as Proto) : undefined;
  for (const method of METHODS) {
    const original = proto[method] as Fn | undefined;
    if (typeof original !== 'function') continue;
    proto[method] = function register(this: RouteLike, ...args: unknown[]) {
      const before = Array.isArray(this.stack) ? this.stack.length : 0;
      const result = original.apply(this, args);
      if (Array.isArray(this.stack) && this.stack.length > before) {
        const site = directAppCaller(register, FRAMEWORK_FILES);
        if (site) for (let i = before; i < this.stack.length; i++) this.stack[i]![SITE] = site;
      }
      return result;
    };
  }
  if (!layerProto) return;
  for (const name of ['handle_request', 'handleRequest']) {
    const original = layerProto[name] as Fn | undefined;
    if (typeof original !== 'function') continue;
    layerProto[name] = function (this: LayerLike, ...args: unknown[]) {
      const site = this[SITE];
      if (site) {
        try {
          placeOnRoute(site);
        } catch {
          // placement is best effort; the request must go on
        }
      }
      const previous = runningLayer;
      runningLayer = this;
      try {
        return original.apply(this, args);
      } finally {
        runningLayer = previous;
      }
    };
  }
}

/** `use` of Express's router prototype (`app.use` ends there too): the app's mounting line
 *  goes on each layer it adds. Express 4 only (Express 5's router is the `router` package). */
function patchUse(Router: () => object): void {
  const proto = Object.getPrototypeOf(Router()) as Proto;
  if (!proto || proto[PATCHED] || typeof proto.use !== 'function') return;
  proto[PATCHED] = true;
  const original = proto.use as Fn;
  proto.use = function use(this: RouteLike, ...args: unknown[]) {
    const before = Array.isArray(this.stack) ? this.stack.length : 0;
    const result = original.apply(this, args);
    if (Array.isArray(this.stack) && this.stack.length > before) {
      const site = directAppCaller(use, FRAMEWORK_FILES) ?? appCallerVia(use, NEST_FILES);
      if (site) for (let i = before; i < this.stack.length; i++) this.stack[i]![USE_SITE] ??= site;
    }
    return result;
  };
}

interface FastifyRouteOptions {
  handler?: Fn;
  onRequest?: Fn | Fn[];
}
interface FastifyLike {
  addHook(name: 'onRoute', hook: (opts: FastifyRouteOptions) => void): unknown;
}

// The site of the Fastify route whose handler is being called right now (synchronously):
// @fastify/otel starts its `handler - …` span inside our wrapper, so the span processor
// can put the route's site on it.
let runningRouteSite: AppFrame | undefined;

/** The registering site of the Fastify route whose handler span is starting now, if any. */
export function routeHandlerSite(): AppFrame | undefined {
  return runningRouteSite;
}

let fastifyWatched = false;
/** Route call sites for every Fastify instance created from now on. The site goes on the
 *  server span (and @fastify/otel's `request` span) in a route-level `onRequest` hook, the
 *  first of the route's hooks, so a request that never reaches the handler (a schema
 *  validation failure, a hook that answers) is still the route's; the handler's span gets
 *  it when the handler is called. */
export function watchFastifyRoutes(): void {
  if (fastifyWatched) return;
  fastifyWatched = true;
  subscribe('fastify.initialization', (message) => {
    const fastify = (message as { fastify?: FastifyLike }).fastify;
    if (!fastify || typeof fastify.addHook !== 'function') return;
    markFrameworkLoaded();
    fastify.addHook('onRoute', function siteOfRoute(opts) {
      const handler = opts.handler;
      if (typeof handler !== 'function') return;
      const site = directAppCaller(siteOfRoute, FRAMEWORK_FILES);
      if (!site) return;
      const placeRequest = function (this: unknown, _request: unknown, _reply: unknown, done: unknown) {
        try {
          placeOnRoute(site);
        } catch {
          // placement is best effort; the request must go on
        }
        (done as () => void)();
      };
      const own = opts.onRequest;
      opts.onRequest = [placeRequest, ...(Array.isArray(own) ? own : typeof own === 'function' ? [own] : [])];
      opts.handler = function (this: unknown, ...args: unknown[]) {
        try {
          placeOnRoute(site);
        } catch {
          // placement is best effort; the request must go on
        }
        const previous = runningRouteSite;
        runningRouteSite = site;
        try {
          return handler.apply(this, args);
        } finally {
          runningRouteSite = previous;
        }
      };
    });
  });
}

/** Wraps `fn` so that each call first puts `site` on the active handler span and the server span. */
function placing(site: AppFrame, fn: Fn): Fn {
  return function (this: unknown, ...args: unknown[]) {
    try {
      placeOnRoute(site);
    } catch {
      // placement is best effort; the request must go on
    }
    return fn.apply(this, args);
  };
}

export class KoaRouteSiteInstrumentation extends InstrumentationBase {
  constructor() {
    super('vibewatch-instrumentation-koa-routes', '0.1.0', {});
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition('@koa/router', ['>=8 <16'], (exports: { prototype?: Proto }) => {
      markFrameworkLoaded();
      const proto = exports?.prototype;
      const original = proto?.register as Fn | undefined;
      if (!proto || typeof original !== 'function' || proto[PATCHED]) return exports;
      proto[PATCHED] = true;
      proto.register = function register(this: unknown, ...args: unknown[]) {
        const route = original.apply(this, args) as { stack?: unknown[] } | undefined;
        const methods = args[1];
        if (Array.isArray(methods) && methods.length > 0 && route && Array.isArray(route.stack)) {
          const site = directAppCaller(register, FRAMEWORK_FILES);
          if (site) route.stack = route.stack.map((fn) => (typeof fn === 'function' ? placing(site, fn as Fn) : fn));
        }
        return route;
      };
      return exports;
    });
  }
}
