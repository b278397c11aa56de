// The collector is a pipeline, as in the OpenTelemetry Collector:
//   receiver → processors (source location, analysis) → store
// Each stage implements `Consumer`. Contract: once `consume` resolves, the batch belongs to
// the next stage; the receiver acknowledges (HTTP 200) only after the store has made the
// batch durable (journal fsync'd). A stage that fails rejects the promise; it never drops
// data silently.
import type { TelemetryBatch } from './model/types';

export interface Consumer {
  consume(batch: TelemetryBatch): Promise<void>;
}

/** A processor mutates or annotates a batch in place (e.g. sets `location`) or observes it. */
export type Processor = (batch: TelemetryBatch) => void | Promise<void>;

export interface Lifecycle {
  start(): Promise<void>;
  /** Safe to call twice or before start; flushes, seals and closes. */
  shutdown(): Promise<void>;
}

/** Counts what each stage saw and failed on, so nothing is lost without a trace in `stats`. */
export interface StageCounters {
  batches: number;
  failures: number;
  lastError?: string;
}

export function countedProcessor(name: string, fn: Processor, counters: Map<string, StageCounters>): Processor {
  const c: StageCounters = { batches: 0, failures: 0 };
  counters.set(name, c);
  return async (batch) => {
    try {
      await fn(batch);
      c.batches++;
    } catch (err) {
      c.failures++;
      c.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  };
}
