// Placement through the trace, after the Locator placed what it could on its own:
// - a span without a location of its own (database, cache, client call, middleware) gets
//   `issuedFrom`: the location of its nearest placed ancestor, the handler that issued it;
// - a placed span at the same line as its parent or child span of the same trace (express's
//   request-handler span under the server span of that route, Nest's handler spans) is marked
//   `nested`, so the line counts one call per request, not two.
// Children usually end, and so are exported, before their parents: a child in an earlier
// batch than its parent gets no `issuedFrom` here (its trace's findings still do: the query
// analysis resolves ancestors when the whole trace is in, see analysis/findings/queries.ts).
// Memory: the last RECENT spans (ids, parent, location), dropped a generation at a time.
import type { SourceLocation, Span, TelemetryBatch } from '../model/types';

const RECENT = 50_000;
const MAX_DEPTH = 32;

interface Seen {
  parent?: string;
  location?: SourceLocation;
  /** Counted as a call at its location (not nested). */
  counted: boolean;
  batch: number;
}

export interface TracePlacementStats {
  issued: number;
  nested: number;
}

export class TracePlacement {
  private current = new Map<string, Seen>();
  private previous = new Map<string, Seen>();
  /** `traceId|locationKey` → span ids counted there (to find a child seen in an earlier batch). */
  private countedAt = new Map<string, string[]>();
  private batchNo = 0;
  readonly stats: TracePlacementStats = { issued: 0, nested: 0 };

  place(batch: TelemetryBatch): void {
    const no = ++this.batchNo;
    for (const s of batch.spans) this.remember(s, { parent: s.parentSpanId, location: s.location ?? s.issuedFrom, counted: false, batch: no });
    for (const s of batch.spans) {
      if (s.location) this.count(s, no);
      else if (!s.issuedFrom) {
        const from = this.ancestorLocation(s);
        if (from) { s.issuedFrom = { ...from }; delete s.issuedFrom.nested; this.stats.issued++; }
      }
    }
  }

  private count(s: Span, no: number): void {
    const loc = s.location!;
    const key = `${s.traceId}|${loc.file}:${loc.line}`;
    // The same call at the same line: an ancestor counted there (express's handler span under
    // its server span, with router spans placed at their mount lines in between), or a
    // descendant counted there from an earlier batch.
    const sameAsAncestor = this.countedAncestorAt(s, loc, no);
    const sameAsChild = !sameAsAncestor && (this.countedAt.get(key) ?? []).some((id) => {
      const c = this.get(id);
      return c !== undefined && c.batch !== no && this.isAncestor(s.spanId, id);
    });
    const me = this.get(s.spanId)!;
    if (loc.nested || sameAsAncestor || sameAsChild) {
      if (!loc.nested) { s.location = { ...loc, nested: true }; me.location = s.location; this.stats.nested++; }
      return;
    }
    me.counted = true;
    const list = this.countedAt.get(key);
    if (list) list.push(s.spanId);
    else this.countedAt.set(key, [s.spanId]);
  }

  private countedAncestorAt(s: Span, loc: SourceLocation, no: number): boolean {
    let id = s.parentSpanId;
    for (let d = 0; id && d < MAX_DEPTH; d++) {
      const p = this.get(id);
      if (!p) return false;
      if (p.location && !p.location.nested && sameLine(p.location, loc) && (p.counted || p.batch === no)) return true;
      id = p.parent;
    }
    return false;
  }

  private isAncestor(ancestor: string, of: string): boolean {
    let id = this.get(of)?.parent;
    for (let d = 0; id && d < MAX_DEPTH; d++) {
      if (id === ancestor) return true;
      id = this.get(id)?.parent;
    }
    return false;
  }

  private ancestorLocation(s: Span): SourceLocation | undefined {
    let id = s.parentSpanId;
    for (let d = 0; id && d < MAX_DEPTH; d++) {
      const p = this.get(id);
      if (!p) return undefined;
      if (p.location) return p.location;
      id = p.parent;
    }
    return undefined;
  }

  private get(id: string): Seen | undefined {
    return this.current.get(id) ?? this.previous.get(id);
  }

  private remember(s: Span, seen: Seen): void {
    if (this.current.size >= RECENT) {
      this.previous = this.current;
      this.current = new Map();
      this.countedAt = new Map();
    }
    this.current.set(s.spanId, seen);
  }
}

function sameLine(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line;
}
