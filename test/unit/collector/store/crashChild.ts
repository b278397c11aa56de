// Child process of the kill -9 test: ingests batches into a SqlStore (worker thread, small
// segments so seals happen mid-run) and prints `ack <id>` after each `consume` resolved.
// Batch <id> holds 5 traces whose ids encode <id>, so the parent can look each batch up.
// Usage: tsx crashChild.ts <dir> <firstId> [sample]
// `sample`: raw sampling forced on (every batch sampled: only its error trace is stored raw).
import { SqlStore } from '../../../../collector/store/sqlStore';
import { makeBatch, makeTrace } from './batches';
import type { Span } from '../../../../collector/model/types';

export const TRACES_PER_BATCH = 5;
export const traceIdOf = (batchId: number, k: number): string => batchId.toString(16).padStart(24, '0') + k.toString(16).padStart(8, '0');

async function main(): Promise<void> {
  const [dir, first, sample] = process.argv.slice(2);
  // Without `sample`, raw sampling is off: the test checks that every acknowledged span is
  // stored, on a loaded machine where the engine may fall behind.
  const store = new SqlStore({
    dir, log: () => undefined,
    // Small segments so that seals happen during the run.
    segmentMaxBytes: 96 * 1024,
    ...(sample ? { rawQueueSoft: 0 } : { rawSampling: false }),
  });
  await store.start();
  process.stdout.write('ready\n');
  let next = Number(first);
  const inFlight = new Set<Promise<void>>();
  for (;;) {
    // Several requests in flight, as a receiver has: exercises group commit and roll races.
    while (inFlight.size < 4) {
      const id = next++;
      const spans: Span[] = [];
      for (let k = 0; k < TRACES_PER_BATCH; k++) {
        for (const s of makeTrace({ startMs: Date.now(), error: k === 0 })) spans.push({ ...s, traceId: traceIdOf(id, k) });
      }
      const p: Promise<void> = store.consume(makeBatch({ spans })).then(() => {
        inFlight.delete(p);
        process.stdout.write(`ack ${id}\n`);
      });
      inFlight.add(p);
    }
    await Promise.race(inFlight);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`crashChild: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
