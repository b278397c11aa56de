// The live protocol's server side is a table of handlers, one per method. Each component
// contributes a partial table (e.g. collector/analysis/handlers.ts); the server merges them.
// A handler throws `LiveError` for a client mistake (bad params); anything else is reported
// as an internal error with its message.
import type { ErrorCode, Method, Params, Result } from './protocol';

/** Who is asking: handlers that keep per-client state (registerWorkspace) key it by `clientId`. */
export interface HandlerContext {
  clientId: number;
}
export type Handler<M extends Method> = (params: Params<M>, ctx: HandlerContext) => Promise<Result<M>> | Result<M>;
export type HandlerTable = { [M in Method]?: Handler<M> };

export class LiveError extends Error {
  constructor(readonly code: Exclude<ErrorCode, 'unknown_method' | 'internal'>, message: string) {
    super(message);
  }
}
