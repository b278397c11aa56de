// Records the errors that reach Express's error path — a handler that throws, a rejected
// promise passed to next(err) (or caught by Express 5 itself), next(err) — on the request's
// span, whether an error-handling middleware of the app answers or Express's final handler
// does. Our own instrumentation (the maintained @opentelemetry/instrumentation-express
// records only on its own layer spans, and only while they are open): it wraps the Layer's
// error dispatch (Express 4 `handle_error`, router 2 / Express 5 `handleError`) and
// `finalhandler`. Nothing the app sees changes.
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { recordError } from './errorsRecord';

type Fn = (this: unknown, ...args: unknown[]) => unknown;
interface LayerProto {
  [method: string]: unknown;
}
const PATCHED = Symbol.for('vibewatch.express-errors.patched');

export class ExpressErrorsInstrumentation extends InstrumentationBase {
  constructor() {
    super('vibewatch-express-errors', '1.0.0', {});
  }

  protected init() {
    const layer = (method: string) => (exports: { prototype?: LayerProto }) => {
      const proto = exports?.prototype as (LayerProto & { [PATCHED]?: true }) | undefined;
      const original = proto?.[method];
      if (!proto || typeof original !== 'function' || proto[PATCHED]) return exports;
      proto[PATCHED] = true;
      proto[method] = function (this: unknown, error: unknown, ...rest: unknown[]) {
        safeRecord(error);
        return (original as Fn).call(this, error, ...rest);
      };
      return exports;
    };
    const finalhandler = (exports: Fn & { [PATCHED]?: true }) => {
      if (typeof exports !== 'function' || exports[PATCHED]) return exports;
      const wrapped = function (this: unknown, ...args: unknown[]) {
        const done = exports.apply(this, args) as Fn;
        return function (this: unknown, err: unknown, ...rest: unknown[]) {
          if (err) safeRecord(err);
          return done.call(this, err, ...rest);
        };
      } as Fn & { [PATCHED]?: true };
      wrapped[PATCHED] = true;
      return Object.assign(wrapped, exports);
    };
    return [
      new InstrumentationNodeModuleDefinition('express', ['>=4 <5'], (e) => e, undefined, [
        new InstrumentationNodeModuleFile('express/lib/router/layer.js', ['>=4 <5'], layer('handle_error'), () => {}),
      ]),
      new InstrumentationNodeModuleDefinition('router', ['>=2 <3'], (e) => e, undefined, [
        new InstrumentationNodeModuleFile('router/lib/layer.js', ['>=2 <3'], layer('handleError'), () => {}),
      ]),
      new InstrumentationNodeModuleDefinition('finalhandler', ['>=1 <3'], finalhandler),
    ];
  }
}

function safeRecord(error: unknown): void {
  try {
    recordError(error);
  } catch {
    // Recording must never change how the app handles its error.
  }
}
