// A call site carried in the OpenTelemetry context, for drivers that start their span in a
// callback where no app frame is left (pg's Pool#query runs the query after the pool hands
// out a client). The app-facing entry point is wrapped: the app frame is captured there and
// stays in the context the driver binds its callback to; CodeLocationProcessor reads it
// when the span's own stack has no app frame.
import { context, createContextKey, type Context } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { firstAppFrame, type AppFrame } from './stackFrame';

const CALL_SITE = createContextKey('vibewatch.callSite');
const PATCHED = Symbol.for('vibewatch.callSite.patched');

export function callSiteIn(ctx: Context): AppFrame | undefined {
  return ctx.getValue(CALL_SITE) as AppFrame | undefined;
}

type Fn = (this: unknown, ...args: unknown[]) => unknown;

/** Wraps `proto[name]` so that the call runs in a context holding the caller's app frame. */
export function carryCallSite(proto: Record<string | symbol, unknown>, name: string): void {
  const original = proto[name] as Fn | undefined;
  if (typeof original !== 'function' || (original as unknown as Record<symbol, unknown>)[PATCHED]) return;
  const wrapped = function carrying(this: unknown, ...args: unknown[]) {
    const site = firstAppFrame(carrying);
    if (!site) return original.apply(this, args);
    return context.with(context.active().setValue(CALL_SITE, site), () => original.apply(this, args));
  };
  (wrapped as unknown as Record<symbol, unknown>)[PATCHED] = true;
  proto[name] = wrapped;
}

/** pg-pool's `query` (what `pool.query(...)` and Sequelize's pg dialect call through). */
export class PgPoolCallSiteInstrumentation extends InstrumentationBase {
  constructor() {
    super('vibewatch-instrumentation-pg-pool-call-site', '0.1.0', {});
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition('pg-pool', ['>=2 <4'], (exports: { prototype?: Record<string, unknown> }) => {
      if (exports?.prototype) carryCallSite(exports.prototype, 'query');
      return exports;
    });
  }
}
