// Places an incoming-request span at the app code that answers it: the first app frame on
// the stack when the app first calls `writeHead`, `write` or `end` on the response (for
// frameworks, `res.json(...)` and friends live in node_modules, so this is the handler's
// own line). Wired as instrumentation-http's `responseHook`, which runs once per server
// span before the app's listener; it wraps the three methods on that one response object.
// This is the fallback for apps without a route table we know (plain node:http, or a
// request no route matched): a span already placed on its route (routeSites.ts) keeps
// that site. No cache: every response is captured, so no span borrows another's site.
import type { Span } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { firstAppFrame } from './stackFrame';
import { setCodeAttributes } from './codeLocation';
import type { LocationStats } from './codeLocation';

const METHODS = ['writeHead', 'write', 'end'] as const;

export function makeResponseHook(stats: LocationStats): (span: Span, response: IncomingMessage | ServerResponse) => void {
  return (span, response) => {
    if (!(typeof (response as ServerResponse).writeHead === 'function' && 'req' in response)) return; // client responses
    const res = response as ServerResponse & Record<string, unknown>;
    const originals = new Map<string, Function>();
    const restore = () => {
      for (const [name, fn] of originals) res[name] = fn;
    };
    for (const name of METHODS) {
      const original = res[name] as Function;
      originals.set(name, original);
      const wrapped = function (this: ServerResponse, ...args: unknown[]) {
        restore(); // one capture per response; later calls go straight to Node
        try {
          const placed = (span as Span & { attributes?: Record<string, unknown> }).attributes?.['vibewatch.route.placed'] === true;
          const frame = placed ? undefined : firstAppFrame(wrapped);
          if (placed) stats.skipped++;
          else if (frame) {
            stats.captured++;
            setCodeAttributes(span, frame);
          } else stats.notFound++;
        } catch (err) {
          stats.notFound++;
          process.emitWarning(`vibewatch: could not place a server span: ${(err as Error).message}`);
        }
        return original.apply(this, args);
      };
      res[name] = wrapped;
    }
  };
}
