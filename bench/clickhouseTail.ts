// The team analysis side of the ClickHouse benchmark (bench/clickhouse.ts spawns it once the
// ingest processes are done): a collector's store that reads every stored record back
// through the record tail (store/clickhouse/recordTail.ts, as process/teamAnalysis.ts does)
// and folds each into its series, until caught up; then the holder's lens, `fileSummary`
// from those series, 51 calls. Prints one JSON line: records and spans folded, wall time, the
// process's CPU seconds, and the lens p50/p95 in ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClickHouseStore } from '../collector/store/clickhouse/clickhouseStore';
import { toRowBatch } from '../collector/store/rows';
import { fileOf, quantile } from './store';

async function main(): Promise<void> {
  const [url, database, cluster] = process.argv.slice(2);
  const dir = mkdtempSync(join(tmpdir(), 'vw-bench-tail-'));
  const store = new ClickHouseStore({ dir, url, database, cluster: cluster || undefined, log: () => undefined });
  await store.start();
  const tail = store.recordTail(50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  let spans = 0;
  for (let got = await tail.poll(); got.length; got = await tail.poll()) {
    for (const r of got) {
      store.series.addNext(toRowBatch(r.batch));
      records++;
      spans += r.batch.spans.length;
    }
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  store.seriesCurrent = true;
  const times: number[] = [];
  let calls = 0;
  for (let i = 0; i < 51; i++) {
    const s0 = performance.now();
    const s = await store.fileSummary(fileOf(i));
    times.push(performance.now() - s0);
    if (i === 0) calls = s.lines.reduce((n, l) => n + l.calls, 0);
  }
  await store.shutdown();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ records, spans, wallMs, cpuSec: (cpu.user + cpu.system) / 1e6, lensP50Ms: quantile(times, 0.5), lensP95Ms: quantile(times, 0.95), calls }) + '\n');
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
