// ClickHouse store benchmark (`clickhouse` in bench/index.ts). In the same run:
//  - ceiling: bare JSON.parse of the same batches as OTLP JSON, spans per CPU-second;
//  - the sql.js store ingesting the same batches (at most 100k spans), per CPU-second of
//    the collector process (both threads);
//  - one ingest process (bench/clickhouseIngest.ts) into one clickhouse-server: spans per
//    CPU-second of the collector, wall rate until ClickHouse has every row, ClickHouse's own
//    CPU (from /proc) and bytes on disk per span; then `fileSummary` computed by ClickHouse
//    with everything stored, p50/p95 over 51 calls (what a collector without the analysis
//    lease answers), and the team analysis process (bench/clickhouseTail.ts): every stored
//    record read back through the record tail and folded into its series (spans per CPU-s,
//    wall), then its lens from those series (what the lease holder answers; goal p95 ≤ 50 ms);
//  - two ingest processes into a two-shard cluster (Distributed tables), half the spans
//    each: combined wall rate, per-process CPU rate, fileSummary p95 through Distributed, and
//    the team analysis process tailing both shards, with its lens.
// BENCH_SPANS sets the spans per run (default 100k; the figure is 1000000).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clusterFileSummary } from '../collector/store/clickhouse/clusterSummary';
import { ChConn } from '../collector/store/clickhouse/conn';
import { SqlStore } from '../collector/store/sqlStore';
import { startClickHouse, startClickHouseCluster } from '../test/harness/clickhouse';
import { POOL, SPANS_PER_BATCH, fileOf, otlpJson, quantile, restamp, round, template } from './store';

interface IngestResult { spans: number; ackedMs: number; storedMs: number; cpuSec: number; retries: number }
interface TailResult { records: number; spans: number; wallMs: number; cpuSec: number; lensP50Ms: number; lensP95Ms: number; calls: number }

function child<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as T) : reject(new Error(`${script} exited ${code}`))));
  });
}

/** The team analysis process over everything stored: tail rate, and its lens. */
async function teamAnalysis(ceiling: number, url: string, database: string, cluster = ''): Promise<object> {
  const t = await child<TailResult>('clickhouseTail.ts', [url, database, cluster]);
  return {
    recordsFolded: t.records,
    spansFolded: t.spans,
    tailSpansPerCpuSec: Math.round(t.spans / t.cpuSec),
    tailVsCeiling: round(t.spans / t.cpuSec / ceiling, 2),
    tailSpansPerSecWall: Math.round(t.spans / (t.wallMs / 1000)),
    lensFromHolderSeriesP50Ms: round(t.lensP50Ms, 2),
    lensFromHolderSeriesP95Ms: round(t.lensP95Ms, 2),
    lensCallsOfFirstFile: t.calls,
  };
}

function ingest(url: string, database: string, spans: number, first: number, cluster = ''): Promise<IngestResult> {
  return child<IngestResult>('clickhouseIngest.ts', [url, database, String(spans), String(first), cluster]);
}

/** CPU seconds a process has used (Linux /proc, clock ticks of 1/100 s). */
function procCpuSec(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function summaryTimes(conn: ChConn, db: string): Promise<{ p50: number; p95: number; calls: number }> {
  const times: number[] = [];
  let calls = 0;
  for (let i = 0; i < 51; i++) {
    const t0 = performance.now();
    const s = await clusterFileSummary(conn, `${db}.spans`, `${db}.logs`, fileOf(i), Date.now(), 24 * 3_600_000);
    times.push(performance.now() - t0);
    if (i === 0) calls = s.lines.reduce((n, l) => n + l.calls, 0);
  }
  return { p50: round(quantile(times, 0.5), 1), p95: round(quantile(times, 0.95), 1), calls };
}

async function sqljsRate(spans: number): Promise<{ spans: number; spansPerCpuSec: number }> {
  const pool = Array.from({ length: POOL }, (_, b) => template(b));
  const dir = mkdtempSync(join(tmpdir(), 'vw-bench-sqljs-'));
  const store = new SqlStore({ dir, limits: { rawMaxBytes: 8 * 1024 ** 3 }, log: () => undefined });
  await store.start();
  const batches = Math.ceil(spans / SPANS_PER_BATCH);
  const cpu0 = process.cpuUsage();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const n = next++;
      if (n >= batches) return;
      restamp(pool[n % POOL], n, BigInt(Date.now()) * 1_000_000n);
      await store.consume(pool[n % POOL]);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  while (((await store.stats()).pendingRaw ?? 0) > 0) await new Promise((r) => setTimeout(r, 20));
  const cpu = process.cpuUsage(cpu0);
  await store.shutdown();
  rmSync(dir, { recursive: true, force: true });
  return { spans: batches * SPANS_PER_BATCH, spansPerCpuSec: Math.round((batches * SPANS_PER_BATCH) / ((cpu.user + cpu.system) / 1e6)) };
}

export async function benchClickHouse(): Promise<object> {
  const total = Number(process.env.BENCH_SPANS ?? 100_000);
  const pool = Array.from({ length: POOL }, (_, b) => template(b));
  const texts = pool.map(otlpJson);
  const c0 = process.cpuUsage();
  for (let i = 0; i < 400; i++) JSON.parse(texts[i % POOL]);
  const cu = process.cpuUsage(c0);
  const ceiling = (400 * SPANS_PER_BATCH) / ((cu.user + cu.system) / 1e6);
  const sqljs = await sqljsRate(Math.min(total, 100_000));

  const server = await startClickHouse();
  let one: object;
  try {
    const ch0 = procCpuSec(server.pid);
    const r = await ingest(server.url, 'bench', total, 0);
    const chCpu = procCpuSec(server.pid) - ch0;
    const conn = new ChConn({ url: server.url });
    const [parts] = await conn.rows<{ bytes: string; rows: string }>(`SELECT sum(bytes) AS bytes, sum(rows) AS rows FROM system.parts WHERE active AND database = 'bench' AND table = 'spans'`);
    const summary = await summaryTimes(conn, 'bench');
    await conn.close();
    const holder = await teamAnalysis(ceiling, server.url, 'bench');
    const perCpu = r.spans / r.cpuSec;
    one = {
      spans: r.spans,
      spansStored: Number(parts.rows),
      collectorSpansPerCpuSec: Math.round(perCpu),
      collectorVsCeiling: round(perCpu / ceiling, 2),
      collectorVsSqljs: round(perCpu / sqljs.spansPerCpuSec, 2),
      ackedSpansPerSec: Math.round(r.spans / (r.ackedMs / 1000)),
      storedSpansPerSecWall: Math.round(r.spans / (r.storedMs / 1000)),
      clickhouseServerCpuSecPerMillionSpans: round(chCpu * (1e6 / r.spans), 1),
      collectorCpuSecPerMillionSpans: round(r.cpuSec * (1e6 / r.spans), 1),
      bytesOnDiskPerSpan: Math.round(Number(parts.bytes) / Number(parts.rows)),
      consumeRetriesWhileBehind: r.retries,
      fileSummaryFromClickHouseP50Ms: summary.p50,
      fileSummaryFromClickHouseP95Ms: summary.p95,
      fileSummaryGoalP95Ms: 50,
      fileSummaryCallsOfFirstFile: summary.calls,
      teamAnalysis: holder,
    };
  } finally {
    await server.stop();
  }

  const cluster = await startClickHouseCluster(2, 'bench_cluster');
  let two: object;
  try {
    // The first process makes its tables before the second starts, as a rolling start would.
    const t0 = performance.now();
    const [a, b] = await Promise.all([
      ingest(cluster.shards[0].url, 'bench', Math.floor(total / 2), 0, cluster.name),
      new Promise((r) => setTimeout(r, 300)).then(() => ingest(cluster.shards[1].url, 'bench', Math.floor(total / 2), 1_000_000, cluster.name)),
    ]);
    const wallMs = performance.now() - t0;
    const conn = new ChConn({ url: cluster.shards[0].url, readSettings: { skip_unavailable_shards: 1 } });
    const [n] = await conn.rows<{ n: string }>('SELECT count() AS n FROM bench.spans');
    const summary = await summaryTimes(conn, 'bench');
    await conn.close();
    const holder = await teamAnalysis(ceiling, cluster.shards[0].url, 'bench', cluster.name);
    const spans = a.spans + b.spans;
    two = {
      spans,
      spansStoredThroughDistributed: Number(n.n),
      combinedStoredSpansPerSecWall: Math.round(spans / (wallMs / 1000)),
      perProcessSpansPerCpuSec: [Math.round(a.spans / a.cpuSec), Math.round(b.spans / b.cpuSec)],
      consumeRetriesWhileBehind: a.retries + b.retries,
      fileSummaryThroughDistributedP50Ms: summary.p50,
      fileSummaryThroughDistributedP95Ms: summary.p95,
      fileSummaryGoalP95Ms: 50,
      teamAnalysis: holder,
      note: 'both ClickHouse servers and both ingest processes share the same machine',
    };
  } finally {
    await cluster.stop();
  }
  return {
    ceilingBareJsonParseSpansPerCpuSec: Math.round(ceiling),
    sqljsStore: sqljs,
    oneIngestProcess: one,
    twoIngestProcessesTwoShards: two,
  };
}

if (require.main === module) {
  benchClickHouse().then((r) => console.log(JSON.stringify(r, null, 2)), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
