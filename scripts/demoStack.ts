// The processes behind the demo, without the editor: a fresh shop repository, the
// collector, the pricing service and the shop under `--require dist/register.js`, and the
// load generator. Used by scripts/demo.ts (`npm start`) and the demo end-to-end test.
// Each process's output goes to <dir>/logs/<name>.log; `stop()` ends them by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeShopRepo, REPO_ROOT, type ShopRepo } from './makeShopRepo';
import { findFreePort } from '../collector/live/probe';

export interface DemoStackOptions {
  /** Everything goes under here: shop/, collector/ (storage), logs/. Emptied first. */
  dir: string;
  /** Load generator: requests per second and minutes. */
  rate?: number;
  minutes?: number;
  /** Use these ports when free (else any free port). */
  ports?: { collector?: number; pricing?: number; shop?: number };
  /** Echo a process's output to this function until it is ready. */
  echo?: (name: string, line: string) => void;
  /** Called when a process exits while the stack runs. */
  onExit?: (name: string, pid: number | undefined, code: number | string | null) => void;
}

export interface DemoProc {
  name: string;
  child: ChildProcess;
}

export interface DemoStack {
  repo: ShopRepo;
  procs: DemoProc[];
  collectorUrl: string;
  collectorPort: number;
  pricingUrl: string;
  shopUrl: string;
  storage: string;
  logDir: string;
  register: string;
  stop(): Promise<void>;
}

export async function preferredPort(port: number | undefined): Promise<number> {
  if (!port) return findFreePort();
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => void findFreePort().then(resolve));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(port)));
  });
}

export async function startDemoStack(opts: DemoStackOptions): Promise<DemoStack> {
  const shopDir = join(opts.dir, 'shop');
  const storage = join(opts.dir, 'collector');
  const logDir = join(opts.dir, 'logs');
  for (const d of [shopDir, storage, logDir]) rmSync(d, { recursive: true, force: true });
  for (const d of [storage, logDir]) mkdirSync(d, { recursive: true });
  const register = join(REPO_ROOT, 'dist', 'register.js');
  const collectorMain = join(REPO_ROOT, 'dist', 'collectorProcess.js');
  for (const f of [register, collectorMain]) if (!existsSync(f)) throw new Error(`${f} is missing: run \`node scripts/build.mjs\` first (npm start does)`);

  const procs: DemoProc[] = [];
  let stopping = false;
  const start = (name: string, argv: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; ready: RegExp }): Promise<RegExpExecArray> => {
    const child = spawn(process.execPath, argv, { cwd: o.cwd, env: { ...process.env, NODE_OPTIONS: '', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push({ name, child });
    const file = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
    let buffer = '';
    let ready = false;
    return new Promise((resolve, reject) => {
      const onData = (d: Buffer, isStdout: boolean) => {
        file.write(d);
        if (!ready) d.toString().split('\n').filter(Boolean).forEach((l) => opts.echo?.(name, l));
        if (!ready && isStdout) {
          buffer += d.toString();
          const m = o.ready.exec(buffer);
          if (m) {
            ready = true;
            resolve(m);
          }
        }
      };
      child.stdout!.on('data', (d: Buffer) => onData(d, true));
      child.stderr!.on('data', (d: Buffer) => onData(d, false));
      child.once('exit', (code, signal) => {
        file.end();
        if (!ready) reject(new Error(`${name} exited (${code ?? signal}) before it was ready; see ${join(logDir, name + '.log')}`));
        else if (!stopping) opts.onExit?.(name, child.pid, code ?? signal);
      });
    });
  };

  const stop = async () => {
    stopping = true;
    await Promise.all([...procs].reverse().map((p) => new Promise<void>((resolve) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
      const t = setTimeout(() => { p.child.kill('SIGKILL'); resolve(); }, 5000);
      p.child.once('exit', () => { clearTimeout(t); resolve(); });
      p.child.kill('SIGTERM');
    })));
  };

  try {
    const repo = await makeShopRepo(shopDir, { linkNodeModules: join(REPO_ROOT, 'node_modules') });
    const collectorPort = await preferredPort(opts.ports?.collector);
    // The demo's database is in-process sql.js (a slow query takes ~50 ms, not the 200 ms of a
    // real server), and a new user should see the memory trend within minutes, not 15.
    const demoAnalysis = { trend: { minPoints: 4 } };
    const listening = await start('collector', [
      '--max-old-space-size=192', collectorMain, '--port', String(collectorPort), '--storage', storage, '--workspace', shopDir,
      '--slow-query-ms', '25', '--analysis-settings', JSON.stringify(demoAnalysis), '--status-title', 'Shop',
    ], { ready: /"event":"(listening|already-running)"/ });
    if (listening[1] !== 'listening') throw new Error(`a collector already runs on port ${collectorPort}`);
    const collectorUrl = `http://127.0.0.1:${collectorPort}`;
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_METRIC_EXPORT_INTERVAL: '5000' };
    const pricingPort = await preferredPort(opts.ports?.pricing);
    await start('pricing', ['--require', register, 'pricing/server.js'], { cwd: shopDir, env: { ...otel, PORT: String(pricingPort) }, ready: /listening/ });
    const shopPort = await preferredPort(opts.ports?.shop);
    const pricingUrl = `http://127.0.0.1:${pricingPort}`;
    // A 256 MB heap: the leaking quote cache then reaches its limit within the hour, which
    // is what the memory-trend alert forecasts.
    await start('shop', ['--max-old-space-size=256', '--require', register, 'src/server.js'], {
      cwd: shopDir,
      env: { ...otel, PORT: String(shopPort), PRICING_URL: pricingUrl },
      ready: /listening/,
    });
    const shopUrl = `http://127.0.0.1:${shopPort}`;
    const rate = opts.rate ?? 8;
    const minutes = opts.minutes ?? 30;
    await start('load', ['load.js', '--url', shopUrl, '--rate', String(rate), '--duration', String(Math.round(minutes * 60))], { cwd: shopDir, ready: /load:/ });
    return { repo, procs, collectorUrl, collectorPort, pricingUrl, shopUrl, storage, logDir, register, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
