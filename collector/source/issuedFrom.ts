// "Issued from" on a whole trace as it is read: a span with no location of its own gets its
// nearest placed ancestor's location. Ingest does the same per batch (tracePlacement.ts), but a
// child exported before its parent (the usual order, and under load in another batch) can only
// be resolved once the whole trace is in; reading a trace is that moment.
import type { SpanView } from '../model/queries';

const MAX_DEPTH = 32;

/** Fills `issuedFrom` in place on spans of one trace that have neither it nor a location. */
export function fillIssuedFrom(spans: SpanView[]): SpanView[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (const s of spans) {
    if (s.location || s.issuedFrom) continue;
    let p = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
    for (let d = 0; p && d < MAX_DEPTH; d++) {
      const at = p.location ?? p.issuedFrom;
      if (at) {
        const { nested: _nested, ...loc } = at as typeof at & { nested?: true };
        s.issuedFrom = loc;
        break;
      }
      p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined;
    }
  }
  return spans;
}
