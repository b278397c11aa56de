// Raw-span sampling when the segment engine falls behind (its queue of not-yet-inserted
// spans is over the soft limit). Aggregates always see every span; only raw storage is
// thinned. Kept above the soft limit: every span of a trace that, within this batch, has an
// error span or a span at least `slowMs` long. Above the hard limit no raw span is queued,
// so the queue (and memory) stays bounded whatever the input.
import { rowFailed, type RowBatch } from './rows';

export type SampleMode = 'all' | 'errorsAndSlow' | 'none';

/** Marks dropped spans with `x: 0` in place; returns how many were dropped. */
export function sampleSpans(rb: RowBatch, mode: SampleMode, slowMs: number): number {
  if (mode === 'all') return 0;
  let dropped = 0;
  if (mode === 'none') {
    for (const s of rb.sp) {
      s.x = 0;
      dropped++;
    }
    return dropped;
  }
  const keep = new Set<string>();
  for (const s of rb.sp) if (rowFailed(s) || s.d >= slowMs) keep.add(s.t);
  for (const s of rb.sp) {
    if (keep.has(s.t)) continue;
    s.x = 0;
    dropped++;
  }
  return dropped;
}
