// The collector's span series, and their one checkpoint: per source line (the lens, hovers,
// `fileSummary`), per location × running revision (AI-diff before/after) and per endpoint
// and location in minutes (the baselines that detectors and alerts read), all folded from
// the same journal records with the same rules (model/spanOutcome.ts), so they agree.
// The checkpoint is a small JSON file written atomically by the store; it records the last
// journal sequence folded in (`lastSeq`). On start the store loads it and folds in only
// journal records after `lastSeq`, so a record is never counted twice and none is lost (a
// journal is deleted only after a checkpoint covers it).
// Older checkpoints: version 1 (lines only, cells in their old shape) is migrated, its
// revision cells start empty (the git component refills them from stored spans), and so do
// the minute series (an hour's window: they fill again as traffic comes); any other
// version is refused with the reason, and the store starts without it (never a crash).
import type { RowBatch } from '../store/rows';
import { HOUR_MS, LineSeries, MINUTE_MS, migrateLineV1, type LineJson, type LineJsonV1 } from './lineSeries';
import { RevisionCells, type RevisionCellJson } from './revisionCells';
import type { SeriesJson } from './minuteSeries';
import { SpanBaselines } from './spanBaselines';

export const CHECKPOINT_VERSION = 2;
/** Minute cells are kept this long; hour cells for the aggregate retention. */
export const MINUTE_RETENTION_MS = 24 * HOUR_MS;
/** Lines keep hour cells this long, then one cell per day. */
export const HOUR_CELLS_MS = 48 * HOUR_MS;

export interface TimeSeriesCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  lastSeq: number;
  savedAt: number;
  lines: LineJson[];
  revisions: RevisionCellJson[];
  /** Minute series of endpoints and locations (the span baselines). */
  baselines: SeriesJson[];
}

interface CheckpointV1 {
  version: 1;
  lastSeq: number;
  savedAt: number;
  files: LineJsonV1[];
}

export class TimeSeries {
  readonly lines = new LineSeries();
  readonly revisions = new RevisionCells();
  readonly spans = new SpanBaselines();
  lastSeq = 0;

  /** Folds one journal record in. Records at or below `lastSeq` are already counted. */
  add(rb: RowBatch): boolean {
    if (rb.q <= this.lastSeq) return false;
    for (const s of rb.sp) this.lines.addSpan(s);
    this.revisions.addRows(rb);
    this.spans.addRows(rb);
    for (const l of rb.lg) this.lines.addLog(l);
    // Metric points are aggregated once, by the analysis baselines (cumulative → delta there).
    this.lastSeq = rb.q;
    return true;
  }

  /** Folds a record that has no sequence of this series' journal (the team analysis reads
   *  every collector's records back, process/teamAnalysis.ts): numbered after the last, so
   *  the checkpoint's `lastSeq` counts the records folded. */
  addNext(rb: RowBatch): void {
    rb.q = this.lastSeq + 1;
    this.add(rb);
  }

  /** Rows or points not aggregated because a cardinality cap was hit. */
  get overflow(): number {
    return this.lines.overflow + this.revisions.overflow + this.spans.overflow;
  }

  prune(nowMs: number, maxAgeMs: number): void {
    const minuteCutoff = Math.floor((nowMs - MINUTE_RETENTION_MS) / MINUTE_MS) * MINUTE_MS;
    const hourCutoff = Math.floor((nowMs - maxAgeMs) / HOUR_MS) * HOUR_MS;
    this.lines.prune(minuteCutoff, hourCutoff, nowMs - HOUR_CELLS_MS);
  }

  clear(): void {
    this.lines.clear();
    this.revisions.clear();
    this.spans.clear();
  }

  checkpoint(nowMs: number): TimeSeriesCheckpoint {
    return { version: CHECKPOINT_VERSION, lastSeq: this.lastSeq, savedAt: nowMs, lines: this.lines.toJSON(), revisions: this.revisions.toJSON(), baselines: this.spans.toJSON(nowMs) };
  }

  /** Loads a checkpoint (migrating version 1); throws, with the reason, for one it cannot
   *  read, leaving the series empty. Returns what was migrated, if anything. */
  restore(c: unknown): { migratedFrom?: number } {
    try {
      return this.load(c);
    } catch (err) {
      this.clear();
      this.lastSeq = 0;
      throw err;
    }
  }

  private load(c: unknown): { migratedFrom?: number } {
    this.clear();
    this.lastSeq = 0;
    const v = (c as { version?: unknown } | null)?.version;
    if (v === 1) {
      const old = c as CheckpointV1;
      this.lines.load(old.files.map(migrateLineV1));
      this.lastSeq = old.lastSeq;
      return { migratedFrom: 1 };
    }
    if (v !== CHECKPOINT_VERSION) throw new Error(`time-series checkpoint version ${String(v)} is not ${CHECKPOINT_VERSION} (nor 1, which is migrated)`);
    const cur = c as TimeSeriesCheckpoint;
    this.lines.load(cur.lines);
    this.revisions.load(cur.revisions);
    this.spans.load(cur.baselines ?? []);
    this.lastSeq = cur.lastSeq;
    return {};
  }
}
