// vibewatch/register overhead: request throughput and latency of the example shop, bare
// and under `--require dist/register.js`, measured in the same run against the same
// generated repository (closed loop, keep-alive, fixed concurrency). Telemetry goes to a
// sink in this process that answers 200 to every export, so the number is the app's cost,
// not the collector's. Also: the cost of one code-location capture (firstAppFrame).
// Needs the build (dist/register.js); `npm run bench` builds first.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeShopRepo } from '../scripts/makeShopRepo';
import { firstAppFrame } from '../register/stackFrame';

// From dist/bench/index.js or bench/register.ts under tsx, the repository root is above.
function repoRoot(): string {
  for (const up of [join(__dirname, '..'), join(__dirname, '..', '..')]) if (existsSync(join(up, 'package.json')) && existsSync(join(up, 'register'))) return up;
  throw new Error(`cannot find the repository root from ${__dirname}`);
}

function sink(): Promise<{ server: Server; port: number; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, port: (server.address() as AddressInfo).port, requests: () => n })));
}

function startShop(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...args, 'src/server.js'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`shop exited ${code}`)));
  });
}

const PATHS = ['/api/products?page=1', '/api/products?page=4', '/api/orders/17', '/api/orders/903', '/api/products?category=tea', '/api/orders/4242'];

async function drive(port: number, ms: number, concurrency = 8): Promise<{ rps: number; p50Ms: number; p99Ms: number; failures: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const lat: number[] = [];
  let failures = 0;
  let i = 0;
  const until = Date.now() + ms;
  const one = () => new Promise<void>((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path: PATHS[i++ % PATHS.length], agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) failures++;
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        resolve();
      });
    });
    req.on('error', () => { failures++; resolve(); });
    req.end();
  });
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < until) await one(); }));
  const elapsed = Date.now() - started;
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p: number) => Math.round((lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0) * 100) / 100;
  return { rps: Math.round((lat.length / elapsed) * 1000), p50Ms: q(0.5), p99Ms: q(0.99), failures };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}

function captureCost(): { nsPerCapture: number; depth: number } {
  const depth = 20;
  const nest = (n: number): unknown => (n === 0 ? firstAppFrame(nest) : nest(n - 1));
  for (let i = 0; i < 2000; i++) nest(depth);
  const n = 20_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) nest(depth);
  return { nsPerCapture: Math.round(Number(process.hrtime.bigint() - t0) / n), depth };
}

export async function benchRegister(opts: { ms?: number } = {}): Promise<object> {
  const ms = opts.ms ?? 3000;
  const root = repoRoot();
  const register = join(root, 'dist', 'register.js');
  if (!existsSync(register)) throw new Error(`${register} is missing: build first`);
  const tmp = mkdtempSync(join(tmpdir(), 'vw-bench-register-'));
  const collector = await sink();
  try {
    const repo = await makeShopRepo(join(tmp, 'shop'), { linkNodeModules: join(root, 'node_modules') });
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`, OTEL_METRIC_EXPORT_INTERVAL: '5000' };
    const result: Record<string, unknown> = { durationMs: ms, concurrency: 8, routes: PATHS };
    // ABCDDCBA: each variant twice, mirrored, so a load that drifts during the run (the
    // machine is shared) weighs on every variant alike; the two runs are averaged.
    const variants = [
      ['bare', [], {}],
      ['instrumented', ['--require', register], {}],
      ['instrumentedSampledLocations', ['--require', register], { VIBEWATCH_CODE_LOCATIONS: 'sampled' }],
      ['instrumentedWithoutCodeLocations', ['--require', register], { VIBEWATCH_CODE_LOCATIONS: '0' }],
    ] as const;
    const runs: Record<string, { rps: number; p50Ms: number; p99Ms: number; failures: number }[]> = {};
    for (const [name, args, extra] of [...variants, ...[...variants].reverse()]) {
      const shop = await startShop(repo.dir, [...args], { ...otel, ...extra });
      try {
        await drive(shop.port, 800); // warm-up (JIT, SQLite)
        (runs[name] ??= []).push(await drive(shop.port, ms));
      } finally {
        await stop(shop.child);
      }
    }
    const avg = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
    for (const [name, rs] of Object.entries(runs)) {
      result[name] = { rps: avg(rs.map((r) => r.rps)), p50Ms: avg(rs.map((r) => r.p50Ms)), p99Ms: avg(rs.map((r) => r.p99Ms)), failures: rs.reduce((a, r) => a + r.failures, 0), runsRps: rs.map((r) => r.rps) };
    }
    const rps = (name: string) => (result[name] as { rps: number }).rps;
    const ratio = (name: string) => Math.round((rps(name) / rps('bare')) * 100) / 100;
    result.throughputRatio = ratio('instrumented');
    result.throughputRatioSampledLocations = ratio('instrumentedSampledLocations');
    result.throughputRatioWithoutCodeLocations = ratio('instrumentedWithoutCodeLocations');
    result.exportRequests = collector.requests();
    result.codeLocationCapture = captureCost();
    result.target = 'throughputRatio >= 0.7';
    return result;
  } finally {
    collector.server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
// Run alone (after a build): node -r tsx/cjs -e "require('./bench/register').benchRegister().then((r) => console.log(JSON.stringify(r, null, 2)))"
