// NestJS route call sites. Nest registers every route with Express or Fastify itself, from
// the app's bootstrap line, so routeSites.ts cannot take a site there. The truthful line is
// the route decorator: `@Get(':slug')` calls `RequestMapping` (every verb decorator of
// @nestjs/common goes through `exports.RequestMapping`) while the controller class is being
// defined, and the app frame of that call running the controller module's top level is the
// decorator's line (in compiled code, the `__decorate([...])` entry, which the app's source
// map takes back to the `.ts` line), also when the app wraps Get in a helper of its own.
// The site is kept per (controller prototype, method name). When Nest builds a route's
// request handler (`RouterExecutionContext#create(instance, callback, methodName, …)`), the
// handler is wrapped: each request puts the site on the active span (the Express request-
// handler span) and the server span, and runs the handler in a context holding the site, so
// the spans instrumentation-nestjs-core starts inside it (request context, handler) get it
// from CodeLocationProcessor. No stack is taken at request time.
import { context, createContextKey, type Context } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { placeOnRoute } from './routeSites';
import { moduleScopeAppFrame, type AppFrame } from './stackFrame';

const ROUTE_SITE = createContextKey('vibewatch.nest.routeSite');
const PATCHED = Symbol.for('vibewatch.nest.routeSite.patched');

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type MethodDecorator = (target: object, key: string | symbol, descriptor: PropertyDescriptor) => unknown;

/** Controller prototype → method name → the line of its route decorator. */
const sites = new WeakMap<object, Map<string | symbol, AppFrame>>();

/** The Nest route site of the handler running in `ctx`, if any. */
export function nestRouteSiteIn(ctx: Context): AppFrame | undefined {
  return ctx.getValue(ROUTE_SITE) as AppFrame | undefined;
}

/** The decorator site of `methodName` on `instance`'s class or one it extends. */
export function siteOfHandler(instance: object, methodName: string | symbol): AppFrame | undefined {
  for (let p = Object.getPrototypeOf(instance) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const site = sites.get(p)?.get(methodName);
    if (site) return site;
  }
  return undefined;
}

/** Wraps `RequestMapping` so each route decorator remembers where the app applied it. */
export function patchRequestMapping(exports: Record<string, unknown>): void {
  const original = exports.RequestMapping as ((...a: unknown[]) => unknown) & { [PATCHED]?: true };
  if (typeof original !== 'function' || original[PATCHED]) return;
  const wrapped = function RequestMapping(this: unknown, ...args: unknown[]) {
    const decorator = original.apply(this, args) as MethodDecorator;
    if (typeof decorator !== 'function') return decorator;
    const site = moduleScopeAppFrame(RequestMapping);
    if (!site) return decorator;
    return function (this: unknown, target: object, key: string | symbol, descriptor: PropertyDescriptor) {
      const result = decorator.call(this, target, key, descriptor);
      if (target && (typeof target === 'object' || typeof target === 'function') && key !== undefined) {
        let byMethod = sites.get(target);
        if (!byMethod) sites.set(target, (byMethod = new Map()));
        byMethod.set(key, site);
      }
      return result;
    };
  };
  (wrapped as unknown as Record<symbol, unknown>)[PATCHED] = true;
  exports.RequestMapping = wrapped;
}

/** Wraps `RouterExecutionContext#create` so the handler it builds places each request on its route. */
export function patchRouterExecutionContext(proto: Record<string | symbol, unknown>): void {
  const original = proto.create as Fn | undefined;
  if (typeof original !== 'function' || proto[PATCHED]) return;
  proto[PATCHED] = true;
  proto.create = function create(this: unknown, ...args: unknown[]) {
    const handler = original.apply(this, args);
    const [instance, , methodName] = args;
    const site = instance && typeof instance === 'object' && (typeof methodName === 'string' || typeof methodName === 'symbol') ? siteOfHandler(instance, methodName) : undefined;
    if (!site || typeof handler !== 'function') return handler;
    return function placedHandler(this: unknown, ...req: unknown[]) {
      try {
        placeOnRoute(site);
      } catch {
        // placement is best effort; the request must go on
      }
      return context.with(context.active().setValue(ROUTE_SITE, site), () => (handler as Fn).apply(this, req));
    };
  };
}

export class NestRouteSiteInstrumentation extends InstrumentationBase {
  constructor() {
    super('vibewatch-instrumentation-nest-routes', '0.1.0', {});
  }

  protected init() {
    return [
      new InstrumentationNodeModuleDefinition('@nestjs/common', ['>=8 <12'], undefined, undefined, [
        new InstrumentationNodeModuleFile('@nestjs/common/decorators/http/request-mapping.decorator.js', ['>=8 <12'], (exports: Record<string, unknown>) => {
          try {
            patchRequestMapping(exports);
          } catch (err) {
            process.emitWarning(`vibewatch: NestJS route call sites unavailable: ${(err as Error).message}`);
          }
          return exports;
        }, (exports: unknown) => exports),
      ]),
      new InstrumentationNodeModuleDefinition('@nestjs/core', ['>=8 <12'], undefined, undefined, [
        new InstrumentationNodeModuleFile('@nestjs/core/router/router-execution-context.js', ['>=8 <12'], (exports: { RouterExecutionContext?: { prototype: Record<string | symbol, unknown> } }) => {
          try {
            if (exports?.RouterExecutionContext) patchRouterExecutionContext(exports.RouterExecutionContext.prototype);
          } catch (err) {
            process.emitWarning(`vibewatch: NestJS route call sites unavailable: ${(err as Error).message}`);
          }
          return exports;
        }, (exports: unknown) => exports),
      ]),
    ];
  }
}
