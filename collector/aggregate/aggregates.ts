// All ingest-time aggregates of the store, and their checkpoint: a small JSON file written
// atomically that records the last journal sequence folded in (`lastSeq`). On start the
// store loads it and folds in only journal records after `lastSeq`, so a record is never
// counted twice and none is lost (a journal is deleted only after a checkpoint covers it).
import type { RowBatch } from '../store/rows';
import { FileAggregates, HOUR_MS, MINUTE_MS } from './fileAggregates';
import type { LocAggJson } from './fileAggregates';

export const CHECKPOINT_VERSION = 1;
/** Minute cells are kept this long; hour cells for the aggregate retention. */
export const MINUTE_RETENTION_MS = 24 * HOUR_MS;
/** File aggregates keep hour cells this long, then one cell per day. */
export const HOUR_CELLS_MS = 48 * HOUR_MS;

export interface AggregatesCheckpoint {
  version: number;
  lastSeq: number;
  savedAt: number;
  files: LocAggJson[];
}

export class Aggregates {
  readonly files = new FileAggregates();
  lastSeq = 0;

  /** Folds one journal record in. Records at or below `lastSeq` are already counted. */
  add(rb: RowBatch): boolean {
    if (rb.q <= this.lastSeq) return false;
    for (const s of rb.sp) this.files.addSpan(s);
    for (const l of rb.lg) this.files.addLog(l);
    // Metric points are aggregated once, by the analysis baselines (cumulative → delta there).
    this.lastSeq = rb.q;
    return true;
  }

  prune(nowMs: number, maxAgeMs: number): void {
    const minuteCutoff = Math.floor((nowMs - MINUTE_RETENTION_MS) / MINUTE_MS) * MINUTE_MS;
    const hourCutoff = Math.floor((nowMs - maxAgeMs) / HOUR_MS) * HOUR_MS;
    this.files.prune(minuteCutoff, hourCutoff, nowMs - HOUR_CELLS_MS);
  }

  clear(): void {
    this.files.clear();
  }

  checkpoint(nowMs: number): AggregatesCheckpoint {
    return { version: CHECKPOINT_VERSION, lastSeq: this.lastSeq, savedAt: nowMs, files: this.files.toJSON() };
  }

  restore(c: AggregatesCheckpoint): void {
    if (c.version !== CHECKPOINT_VERSION) throw new Error(`aggregates checkpoint version ${c.version} is not ${CHECKPOINT_VERSION}`);
    // A checkpoint from before metrics left the store may still carry `metrics`: ignored.
    this.files.load(c.files);
    this.lastSeq = c.lastSeq;
  }
}
