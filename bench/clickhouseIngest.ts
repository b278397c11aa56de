// One ingest process of the ClickHouse benchmark (bench/clickhouse.ts spawns one or two):
// a ClickHouseStore fed realistic 512-span batches (bench/store.ts templates), 4 in flight,
// until ClickHouse has every row. Prints one JSON line: spans, wall time, the process's CPU
// seconds (every thread), consume retries (the store refused while ClickHouse was behind).
// Its series stay empty: on a shared store the team analysis folds them (bench/clickhouseTail.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClickHouseStore } from '../collector/store/clickhouse/clickhouseStore';
import { POOL, SPANS_PER_BATCH, restamp, template } from './store';

async function main(): Promise<void> {
  const [url, database, spansArg, firstArg, cluster] = process.argv.slice(2);
  const batches = Math.ceil(Number(spansArg) / SPANS_PER_BATCH);
  const first = Number(firstArg);
  const pool = Array.from({ length: POOL }, (_, b) => template(b));
  const dir = mkdtempSync(join(tmpdir(), 'vw-bench-ch-'));
  const store = new ClickHouseStore({ dir, url, database, cluster: cluster || undefined, limits: { rawMaxBytes: 64 * 1024 ** 3 }, log: () => undefined, insertMaxRows: 50_000 });
  await store.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  let retries = 0;
  const worker = async () => {
    for (;;) {
      const n = next++;
      if (n >= batches) return;
      const t = pool[n % POOL];
      restamp(t, first + n, BigInt(Date.now()) * 1_000_000n);
      for (;;) {
        try {
          await store.consume(t);
          break;
        } catch {
          retries++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const ackedMs = performance.now() - t0;
  await store.flushed();
  const storedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await store.shutdown();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ spans: batches * SPANS_PER_BATCH, ackedMs, storedMs, cpuSec: (cpu.user + cpu.system) / 1e6, retries }) + '\n');
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
