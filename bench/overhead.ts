// Overhead of vibewatch/register measured against the peer a user would pick: the example
// shop (Express + better-sqlite3, a real SQL driver without a database server to start, so
// startup time is the app's and not PostgreSQL's) run bare, under `--require
// dist/register.js`, and under the plain OpenTelemetry auto-instrumentation
// (bench/otelAutoSetup.cjs), interleaved in rounds (ABC CBA …) so a drifting load on the
// shared machine weighs on all alike. Both instrumented variants export OTLP http/json to one
// sink in this process (answers 200, counts spans) with the same batch processor settings.
// Closed loop, keep-alive, fixed concurrency, warm-up. Also the cost split of register:
// register with code locations off (VIBEWATCH_CODE_LOCATIONS=0) and sampled.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeShopRepo } from '../scripts/makeShopRepo';
import { mean, quantile, ratio, round2 } from './stats';

function repoRoot(): string {
  for (const up of [join(__dirname, '..'), join(__dirname, '..', '..')]) if (existsSync(join(up, 'package.json')) && existsSync(join(up, 'register'))) return up;
  throw new Error(`cannot find the repository root from ${__dirname}`);
}

/** OTLP http/json sink: answers 200, counts the spans in each trace export. */
function sink(): Promise<{ server: Server; port: number; spans: () => number }> {
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.includes('/v1/traces')) {
        try {
          const doc = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
          for (const rs of doc.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
        } catch { /* not JSON: not counted */ }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, port: (server.address() as AddressInfo).port, spans: () => spans })));
}

/** User+system CPU seconds of a child so far, from /proc/<pid>/stat (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

const PATHS = ['/api/products?page=1', '/api/products?page=4', '/api/orders/17', '/api/orders/903', '/api/products?category=tea', '/api/orders/4242'];

function get(port: number, path: string, agent?: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function startShop(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number; startupMs: number }> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [...args, 'src/server.js'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.resume();
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`shop exited ${code}`)));
  });
  while ((await get(port, PATHS[0]!)) !== 200) await new Promise((r) => setTimeout(r, 5));
  return { child, port, startupMs: Number(process.hrtime.bigint() - t0) / 1e6 };
}

async function drive(port: number, ms: number, concurrency: number): Promise<{ requests: number; elapsedMs: number; lat: number[]; failures: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const lat: number[] = [];
  let failures = 0;
  let i = 0;
  const started = Date.now();
  const until = started + ms;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      const t0 = process.hrtime.bigint();
      const status = await get(port, PATHS[i++ % PATHS.length]!, agent);
      if (status !== 200) failures++;
      lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }));
  agent.destroy();
  return { requests: lat.length, elapsedMs: Date.now() - started, lat, failures };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}

type Run = { rps: number; lat: number[]; cpuPer1000: number; spansPerRequest: number; startupMs: number; failures: number };

export async function benchOverhead(opts: { ms?: number; rounds?: number; concurrency?: number } = {}): Promise<object> {
  const ms = opts.ms ?? Number(process.env.BENCH_OVERHEAD_MS ?? 3000);
  const rounds = opts.rounds ?? 2;
  const concurrency = opts.concurrency ?? 8;
  const root = repoRoot();
  const register = join(root, 'dist', 'register.js');
  if (!existsSync(register)) throw new Error(`${register} is missing: build first`);
  const otelSetup = join(root, 'bench', 'otelAutoSetup.cjs');
  const tmp = mkdtempSync(join(tmpdir(), 'vw-bench-overhead-'));
  const collector = await sink();
  try {
    const repo = await makeShopRepo(join(tmp, 'shop'), { linkNodeModules: join(root, 'node_modules') });
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '1000', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512', OTEL_BSP_MAX_QUEUE_SIZE: '8192', OTEL_METRIC_EXPORT_INTERVAL: '5000' };
    const variants: [string, string[], NodeJS.ProcessEnv][] = [
      ['bare', [], {}],
      ['register', ['--require', register], {}],
      ['otelAuto', ['--require', otelSetup], {}],
      ['registerWithoutCodeLocations', ['--require', register], { VIBEWATCH_CODE_LOCATIONS: '0' }],
      ['registerSampledLocations', ['--require', register], { VIBEWATCH_CODE_LOCATIONS: 'sampled' }],
    ];
    const runs: Record<string, Run[]> = {};
    for (let r = 0; r < rounds; r++) {
      for (const [name, args, extra] of r % 2 === 0 ? variants : [...variants].reverse()) {
        const spansBefore = collector.spans();
        const shop = await startShop(repo.dir, args, { ...otlp, ...extra });
        let d: Awaited<ReturnType<typeof drive>>;
        let cpu: number;
        let warm: number;
        try {
          warm = (await drive(shop.port, 800, concurrency)).requests; // JIT, SQLite page cache
          const cpu0 = cpuSeconds(shop.child.pid!);
          d = await drive(shop.port, ms, concurrency);
          cpu = cpuSeconds(shop.child.pid!) - cpu0;
        } finally {
          await stop(shop.child); // SIGTERM flushes the batch processors
        }
        // Spans over the whole life of the process (startup probe, warm-up, measure).
        const spans = collector.spans() - spansBefore;
        (runs[name] ??= []).push({ rps: (d.requests / d.elapsedMs) * 1000, lat: d.lat, cpuPer1000: (cpu / d.requests) * 1000, spansPerRequest: spans / (d.requests + warm + 1), startupMs: shop.startupMs, failures: d.failures });
      }
    }
    const rows = Object.entries(runs).map(([config, rs]) => {
      const lat = rs.flatMap((r) => r.lat).sort((a, b) => a - b);
      return {
        config,
        rps: Math.round(mean(rs.map((r) => r.rps))),
        p50Ms: round2(quantile(lat, 0.5)),
        p95Ms: round2(quantile(lat, 0.95)),
        cpuSecondsPer1000Requests: Math.round(mean(rs.map((r) => r.cpuPer1000)) * 1000) / 1000,
        spansPerRequest: round2(mean(rs.map((r) => r.spansPerRequest))),
        startupMs: Math.round(mean(rs.map((r) => r.startupMs))),
        failures: rs.reduce((a, r) => a + r.failures, 0),
        runsRps: rs.map((r) => Math.round(r.rps)),
      };
    });
    const row = (n: string) => rows.find((r) => r.config === n)!;
    const both = (a: string, b: string) => ({ throughput: ratio(row(a).rps, row(b).rps), cpu: ratio(row(a).cpuSecondsPer1000Requests, row(b).cpuSecondsPer1000Requests), startupOverMs: row(a).startupMs - row(b).startupMs });
    const reg = row('register').cpuSecondsPer1000Requests;
    const bare = row('bare').cpuSecondsPer1000Requests;
    const noLoc = row('registerWithoutCodeLocations').cpuSecondsPer1000Requests;
    return {
      app: 'example shop (Express + better-sqlite3)', durationMs: ms, rounds, concurrency, routes: PATHS,
      table: rows,
      ratios: { registerOverBare: both('register', 'bare'), otelOverBare: both('otelAuto', 'bare'), registerOverOtel: both('register', 'otelAuto') },
      // Share of register's extra CPU per request spent on code locations (stack captures)
      // versus the rest (instrumentations, span processing, export).
      costSplit: reg > bare ? { codeLocations: round2((reg - noLoc) / (reg - bare)), instrumentationAndExport: round2((noLoc - bare) / (reg - bare)) } : null,
      target: 'registerOverOtel.throughput >= 1.0; registerOverBare.startupOverMs <= 500',
    };
  } finally {
    collector.server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
