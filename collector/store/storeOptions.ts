// Options and tuning constants of the sql.js store (collector/store/sqlStore.ts).
import type { StoreLimits } from './api';
import type { JournalFs } from './journal';

/** Sealing exports the segment (a copy) and blocks the worker for ~15 ms per MiB: keep
 *  segments small enough that a seal does not back ingest up, large enough to be few. */
export const SEGMENT_MAX_BYTES = 8 * 1024 * 1024;
export const MAX_ROLLS = 2;
/** Rows per insert message to the engine. */
export const ENGINE_CHUNK_ROWS = 2048;
/** An aggregates checkpoint (which lets sealed journals be deleted) after this many seals,
 *  besides the timer. */
export const CHECKPOINT_EVERY_SEALS = 4;
/** Bytes of insert payloads queued for the engine (its V8 heap holds them). */
export const QUEUE_SOFT_BYTES = 12 * 1024 * 1024;
export const QUEUE_HARD_BYTES = 24 * 1024 * 1024;
/** Row JSON bytes → segment bytes is ~1 : 1.3 for typical spans; roll when the rows sent
 *  to the open segment reach this fraction of the segment limit. */
export const JOURNAL_TO_SEGMENT = 0.75;
/** A journal of mostly sampled-away spans is rolled at this multiple of the segment limit. */
export const JOURNAL_MAX_FACTOR = 4;

export const DEFAULT_LIMITS: StoreLimits = { rawMaxAgeMs: 24 * 3_600_000, rawMaxBytes: 500 * 1024 * 1024, aggregateMaxAgeMs: 30 * 24 * 3_600_000 };

export interface SqlStoreOptions {
  /** Storage folder (created if missing). */
  dir: string;
  limits?: Partial<StoreLimits>;
  /** Seal the open segment after this long or this size. Defaults 10 min, 8 MiB. */
  segmentMaxAgeMs?: number;
  segmentMaxBytes?: number;
  /** Run sql.js in a worker thread (default) or inline on this thread. */
  worker?: boolean;
  /** Raw spans queued for the engine: above `soft` keep only errors and slow traces, above
   *  `hard` keep none. Defaults 20k / 60k. */
  rawQueueSoft?: number;
  rawQueueHard?: number;
  /** false: never sample raw spans — the engine queue is then unbounded. For tests that
   *  check raw storage exactly; not for production. Default true. */
  rawSampling?: boolean;
  /** A trace with a span at least this long counts as slow (kept when sampling). Default 1 s. */
  slowSpanMs?: number;
  /** Window of FileSummary calls/errors/percentiles. Default 24 h. */
  summaryWindowMs?: number;
  /** Sealed segments kept loaded for queries. Default 1 (each costs its size in the wasm heap). */
  lruSegments?: number;
  checkpointIntervalMs?: number;
  retentionIntervalMs?: number;
  log?: (event: string, fields: Record<string, unknown>) => void;
  now?: () => number;
  /** The journal's file calls (tests inject failures: a full disk). Default node:fs. */
  journalFs?: JournalFs;
  /** How sealed segment files are written, with `worker: false` only (a function cannot be
   *  sent to the worker); tests inject failures. Default: atomic write (atomicFile.ts). */
  engineWriteFile?: (path: string, data: string | Uint8Array) => Promise<void>;
}
