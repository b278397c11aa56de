// Collector methods the editor calls that collector/live/protocol.ts `Methods` does not
// declare (yet): only `clearData` (the store has `clear()`; the live method is the lead's to
// add). Sent through an untyped call; one place to adjust if the name differs.
import type { CollectorClient } from '../collectorClient';

export interface EditorMethods {
  clearData: { params: Record<string, never>; result: unknown };
}
export type EditorMethod = keyof EditorMethods;

/** Calls an editor method whether or not protocol.ts declares it yet. */
export function callEditor<M extends EditorMethod>(client: CollectorClient, method: M, params: EditorMethods[M]['params']): Promise<EditorMethods[M]['result']> {
  const loose = client.request as unknown as (m: string, p: unknown) => Promise<EditorMethods[M]['result']>;
  return loose.call(client, method, params);
}

/** True when the collector does not know the method (its area has not landed): callers show nothing. */
export function isUnknownMethod(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'not_found' || e?.code === 'unknown_method' || /unknown method|no handler|not implemented/i.test(e?.message ?? '');
}
