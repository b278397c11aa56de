// Telling a collector that lacks a method (an older collector another window started, or
// one whose component failed to load) from a real failure: callers then show nothing instead
// of an error.

/** True when the collector does not know the method: callers show nothing. An unknown id
 *  (`not_found`, e.g. a stale AI-diff id) is a real answer, not a missing method; collectors
 *  before `unknown_method` existed answered `not_found` with "unknown method …". */
export function isUnknownMethod(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'unknown_method') return true;
  return e?.code === 'not_found' && /^unknown method\b/.test(e.message ?? '');
}
