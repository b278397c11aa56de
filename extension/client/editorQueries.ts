// Telling a collector that lacks a method (an older collector another window started, or
// one whose area failed to load) from a real failure: callers then show nothing instead
// of an error.

/** True when the collector does not know the method: callers show nothing. */
export function isUnknownMethod(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'not_found' || e?.code === 'unknown_method' || /unknown method|no handler|not implemented/i.test(e?.message ?? '');
}
