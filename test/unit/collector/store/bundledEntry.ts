// Entry bundled by bundled.test.ts, the way scripts/build.mjs bundles the collector: runs a
// SqlStore through its worker thread from a bundle, with no tsx and no node_modules lookups
// for the worker script. Prints one JSON line. Usage: node entry.js <dataDir>
import { SqlStore } from '../../../../collector/store/sqlStore';
import { spanBatch } from './batches';

async function main(): Promise<void> {
  const store = new SqlStore({ dir: process.argv[2], log: () => undefined });
  await store.start();
  const batch = spanBatch(Date.now(), 4, { errorEvery: 2 });
  await store.consume(batch);
  await store.roll();
  const spans = (await store.trace(batch.spans[0].traceId)).length;
  const stats = await store.stats();
  await store.shutdown();
  process.stdout.write(JSON.stringify({ spans, stored: stats.spans, segments: stats.segments }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err) + '\n');
  process.exit(1);
});
