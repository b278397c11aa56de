// The narrow interface between the collector and its storage. The sql.js store implements
// it; a later backend on a distributed engine implements it beside sql.js, not instead.
// Contract: `consume` resolves only once the batch is durable (journal fsync'd), so the
// receiver may acknowledge it; after a crash every acknowledged batch is there exactly once.
// Queries are async because raw spans may live in a worker thread.
import type { Consumer, Lifecycle } from '../pipeline';
import type { FileSummary, LogFilter, LogView, SpanView, TraceFilter, TraceSummary } from '../model/queries';
import type { LocatedSpanRow } from './segment';
import type { TimeSeries } from '../timeseries/timeSeries';
import type { TelemetryBatch } from '../model/types';

export interface StoreStats {
  storageBytes: number;
  segments: number;
  spans: number;
  logs: number;
  metricPoints: number;
  /** Raw spans not kept because storage was over capacity (aggregates still counted them). */
  sampledAway: number;
  /** Journal entries skipped on recovery because they were corrupt or truncated. */
  corruptSkipped: number;
  /** Raw rows handed to the storage engine and not yet inserted (bounded by sampling). */
  pendingRaw?: number;
  /** Engine inserts that failed (the batches stay in the journal and are replayed on start). */
  insertFailures?: number;
  /** Rows/points not aggregated because the location or series cardinality cap was hit. */
  aggregateOverflow?: number;
}

export interface StoreLimits {
  /** Raw telemetry retention. Defaults: 24 h, 500 MB on disk. */
  rawMaxAgeMs: number;
  rawMaxBytes: number;
  /** Aggregates retention. Default 30 days. */
  aggregateMaxAgeMs: number;
}

/** Small durable key/value state for the parts of the collector (analysis state, AI-diff
 *  ledger, deploy markers...). `putState` resolves when durable. Values are JSON-serialisable;
 *  `getState` returns a copy. */
export interface DurableState {
  getState<T>(key: string): Promise<T | undefined>;
  putState(key: string, value: unknown): Promise<void>;
}

export interface TelemetryStore extends Consumer, Lifecycle, DurableState {
  /** The span series folded at ingest (collector/timeseries): what `fileSummary` answers
   *  from, and the per-revision cells of before/after. Checkpointed by the store with the
   *  journal sequence it covers, restored on start, emptied by `clear`. */
  readonly series: TimeSeries;
  fileSummary(file: string): Promise<FileSummary>;
  filesWithData(): Promise<string[]>;
  traces(filter: TraceFilter): Promise<TraceSummary[]>;
  trace(traceId: string): Promise<SpanView[]>;
  /** Located spans (newest first, at most `limit`) with their resource attributes. */
  locatedSpans?(limit: number): Promise<LocatedSpanRow[]>;
  logs(filter: LogFilter): Promise<LogView[]>;
  stats(): Promise<StoreStats>;
  /** Apply retention now (also runs on a timer inside the store). */
  enforceRetention(nowMs?: number): Promise<void>;
  /** Remove all telemetry and state (the "clear data" command). */
  clear(): Promise<void>;
}

/** Every collector's stored records, read back in each one's journal order past per-origin
 *  cursors (the ClickHouse store's `recordTail`). */
export interface RecordSource {
  poll(): Promise<{ origin: string; seq: number; batch: TelemetryBatch }[]>;
  saveCursors(): Record<string, number>;
  restoreCursors(saved: Record<string, number> | undefined): void;
}

/** A store several collectors of a team write to (ClickHouse). Its `series` are not folded
 *  on consume: the one process that analyses for the team folds every collector's records
 *  through `recordTail()` (process/teamAnalysis.ts) and sets `seriesCurrent` once caught up,
 *  after which `fileSummary` answers from them instead of from the shared tables. */
export interface SharedStore extends TelemetryStore {
  readonly shared: true;
  /** This collector's id in the shared tables (its rows carry it). */
  readonly originId: string;
  recordTail(maxRecords?: number): RecordSource;
  seriesCurrent: boolean;
  /** Every state value whose key starts with `prefix` (the analysis lease's rows). */
  listState<T>(prefix: string): Promise<{ key: string; value: T }[]>;
}

export function isSharedStore(store: TelemetryStore): store is SharedStore {
  return (store as Partial<SharedStore>).shared === true;
}
