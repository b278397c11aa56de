// "Before" for a collector that starts after the AI commit shipped: the per-revision table
// (revisionLatency.ts) is rebuilt from the spans the store still holds, each with its
// resource's revision (`vcs.ref.head.revision` and the other attributes revision.ts reads).
// Only (location, revision, role) cells the table does not have are filled: a cell loaded
// from saved state already counts its stored spans, so nothing is counted twice. Runs at
// start, before ingest (spans stored by this run are never read back here).
import { SpanKind } from '../model/types';
import type { Attributes } from '../model/types';
import type { TelemetryStore } from '../store/api';
import { revisionOf } from '../model/revision';
import { revisionKey } from '../timeseries/seriesKey';
import type { RevisionLatency, SpanRole } from './revisionLatency';

export const BACKFILL_MAX_SPANS = 100_000;

export interface BackfillResult {
  /** Stored spans counted into cells the table lacked. */
  spans: number;
  /** Located spans read from the store. */
  read: number;
}

export async function backfillRevisionLatency(table: RevisionLatency, store: Pick<TelemetryStore, 'locatedSpans'>, limit = BACKFILL_MAX_SPANS): Promise<BackfillResult> {
  if (!store.locatedSpans) return { spans: 0, read: 0 };
  const rows = await store.locatedSpans(limit);
  const known = table.cellKeys();
  const revisions = new Map<string, string | undefined>();
  let spans = 0;
  for (const r of rows) {
    let rev = revisions.get(r.resource);
    if (!revisions.has(r.resource)) {
      rev = revisionOfJson(r.resource);
      revisions.set(r.resource, rev);
    }
    if (!rev) continue;
    const role: SpanRole = r.kind === SpanKind.Client || r.db ? 'query' : 'own';
    if (known.has(revisionKey(role, r.file, r.line, rev))) continue;
    table.add(r.file, r.line, rev, role, r.durationMs, r.failed, r.endMs);
    spans++;
  }
  return { spans, read: rows.length };
}

function revisionOfJson(json: string): string | undefined {
  try {
    const attrs = JSON.parse(json) as unknown;
    return attrs && typeof attrs === 'object' ? revisionOf(attrs as Attributes) : undefined;
  } catch {
    return undefined; // a resource that is not JSON carries no revision
  }
}
