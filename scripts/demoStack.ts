// The processes behind the demo, without the editor: a fresh shop repository, the
// collector, the pricing service and the shop under `--require dist/register.js`, and the
// load generator. Used by scripts/demo.ts (`npm start`) and the demo end-to-end test.
// Each process's output goes to <dir>/logs/<name>.log; `stop()` ends them by pid.
//
// Before/after deploy: the shop first runs from a release checkout of the revision before
// the last AI commit (releases/<sha>, a git worktree of the shop repository outside the
// workspace, as a deployed copy would be), and once the load has made enough calls
// (compareBeforeAfter needs 20 per side) it is "deployed": stopped and started again from a
// release checkout of HEAD. register reports each checkout's git revision as
// vcs.ref.head.revision, so the collector sees the AI diff's code before and after it shipped.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeShopRepo, REPO_ROOT, type MadeCommit, type ShopRepo } from './makeShopRepo';
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
  /** Calls of the deployed AI diff's handler to make before the deploy (default 60; the
   *  before/after needs 20 per side; in one `npm start` run 24 of the ~41 planned reached
   *  the collector: the start-up, the spans not yet exported at the restart and a busy
   *  machine cost some, hence the margin).
   *  The wait is derived from the load's rate and mix. */
  callsBeforeDeploy?: number;
  /** Called when the shop has been restarted at the new revision. */
  onDeploy?: (deploy: Deploy) => void;
}

export interface Deploy {
  /** The AI commit the deploy ships, and the revisions the shop ran before and runs now. */
  aiCommit: MadeCommit;
  from: string;
  to: string;
  atMs: number;
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
  /** The AI commit the stack deploys after the before phase, and when it did. */
  aiCommit: MadeCommit;
  /** Resolves once the shop runs at HEAD (rejects if the restart failed). */
  deployed: Promise<Deploy>;
  stop(): Promise<void>;
}

/** The load generator's share of `GET /api/orders` (examples/shop/app/load.js: weight 15 of 100). */
const ORDER_LIST_SHARE = 0.15;

/** The commit the demo deploys: the last AI-assisted one (the N+1 on the order list). */
export function deployedAiCommit(repo: ShopRepo): MadeCommit {
  const ai = repo.commits.filter((c) => c.coAuthoredBy);
  if (!ai.length) throw new Error('the shop history has no AI-assisted commit');
  return ai[ai.length - 1];
}

function shopGit(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 15_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' },
  }).trim();
}

/** A checkout of `revision` at <releases>/<short sha>, with node_modules linked. */
function releaseCheckout(repoDir: string, releases: string, revision: string): string {
  const dir = join(releases, revision.slice(0, 7));
  shopGit(repoDir, ['worktree', 'add', '--detach', '-q', dir, revision]);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** The demo's slow-query threshold (ms): in-memory SQLite answers an indexed lookup in
 *  ~0.05 ms and the full scan of the customer lookup in 5–20 ms; the 200 ms default is meant
 *  for a database server. */
export const DEMO_SLOW_QUERY_MS = 8;

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
  // Outside the workspace (shopDir): the collector places the release's files on the
  // workspace's by path suffix, as it does for any deployed copy.
  const releases = join(opts.dir, 'releases');
  for (const d of [shopDir, storage, logDir, releases]) rmSync(d, { recursive: true, force: true });
  for (const d of [storage, logDir]) mkdirSync(d, { recursive: true });
  const register = join(REPO_ROOT, 'dist', 'register.js');
  const collectorMain = join(REPO_ROOT, 'dist', 'collectorProcess.js');
  for (const f of [register, collectorMain]) if (!existsSync(f)) throw new Error(`${f} is missing: run \`node scripts/build.mjs\` first (npm start does)`);

  const procs: DemoProc[] = [];
  let stopping = false;
  let deployTimer: NodeJS.Timeout | undefined;
  /** Processes stopped on purpose (the shop before a deploy): their exit is not news. */
  const retired = new Set<ChildProcess>();
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
        else if (!stopping && !retired.has(child)) opts.onExit?.(name, child.pid, code ?? signal);
      });
    });
  };

  const stopOne = (p: DemoProc) => new Promise<void>((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    const t = setTimeout(() => { p.child.kill('SIGKILL'); resolve(); }, 5000);
    p.child.once('exit', () => { clearTimeout(t); resolve(); });
    p.child.kill('SIGTERM');
  });
  const stop = async () => {
    stopping = true;
    clearTimeout(deployTimer);
    await Promise.all([...procs].reverse().map(stopOne));
  };

  try {
    const repo = await makeShopRepo(shopDir, { linkNodeModules: join(REPO_ROOT, 'node_modules') });
    const collectorPort = await preferredPort(opts.ports?.collector);
    // The demo's database is in-process SQLite (a full scan of the customers takes 5–20 ms,
    // not the 200 ms of a real server), and a new user should see the memory trend within
    // minutes, not 15.
    const demoAnalysis = { trend: { minPoints: 4 } };
    const listening = await start('collector', [
      '--max-old-space-size=192', collectorMain, '--port', String(collectorPort), '--storage', storage, '--workspace', shopDir,
      '--slow-query-ms', String(DEMO_SLOW_QUERY_MS), '--analysis-settings', JSON.stringify(demoAnalysis), '--status-title', 'Shop',
    ], { ready: /"event":"(listening|already-running)"/ });
    if (listening[1] !== 'listening') throw new Error(`a collector already runs on port ${collectorPort}`);
    const collectorUrl = `http://127.0.0.1:${collectorPort}`;
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_METRIC_EXPORT_INTERVAL: '5000' };
    const pricingPort = await preferredPort(opts.ports?.pricing);
    await start('pricing', ['--require', register, 'pricing/server.js'], { cwd: shopDir, env: { ...otel, PORT: String(pricingPort) }, ready: /listening/ });
    const shopPort = await preferredPort(opts.ports?.shop);
    const pricingUrl = `http://127.0.0.1:${pricingPort}`;
    const aiCommit = deployedAiCommit(repo);
    const head = repo.commits[repo.commits.length - 1].sha;
    const beforeRev = shopGit(shopDir, ['rev-parse', `${aiCommit.sha}^`]);
    // A 256 MB heap: the leaking quote cache then reaches its limit within the hour, which
    // is what the memory-trend alert forecasts.
    const startShop = (revision: string) =>
      start('shop', ['--max-old-space-size=256', '--require', register, 'src/server.js'], {
        cwd: releaseCheckout(shopDir, releases, revision),
        // VIBEWATCH_CODE_LOCATIONS=exact: register's default location cache keys a server
        // span on the URL after Express stripped the mount path, so `GET /` of the products
        // and the orders router share a key and the order list's spans can land in
        // products.js (issue #17 item 2, register's to fix; drop this line then).
        env: { ...otel, PORT: String(shopPort), PRICING_URL: pricingUrl, VIBEWATCH_CODE_LOCATIONS: 'exact' },
        ready: /listening/,
      });
    await startShop(beforeRev);
    const shopUrl = `http://127.0.0.1:${shopPort}`;
    const rate = opts.rate ?? 8;
    const minutes = opts.minutes ?? 30;
    await start('load', ['load.js', '--url', shopUrl, '--rate', String(rate), '--duration', String(Math.round(minutes * 60))], { cwd: shopDir, ready: /load:/ });
    // The load is open-loop (a fixed rate whatever the answers), so the calls made in the
    // before phase follow from its length.
    const beforeMs = Math.max(15_000, Math.ceil(((opts.callsBeforeDeploy ?? 60) / (rate * ORDER_LIST_SHARE)) * 1000));
    const deployed = new Promise<Deploy>((resolve, reject) => {
      deployTimer = setTimeout(() => {
        const old = procs.find((p) => p.name === 'shop' && p.child.exitCode === null && p.child.signalCode === null);
        void (async () => {
          if (old) {
            retired.add(old.child);
            await stopOne(old);
            procs.splice(procs.indexOf(old), 1);
          }
          if (stopping) throw new Error('the demo stopped before the deploy');
          await startShop(head);
          const d: Deploy = { aiCommit, from: beforeRev, to: head, atMs: Date.now() };
          opts.onDeploy?.(d);
          return d;
        })().then(resolve, reject);
      }, beforeMs);
    });
    deployed.catch(() => undefined); // reported through the promise; never an unhandled rejection
    return { repo, procs, collectorUrl, collectorPort, pricingUrl, shopUrl, storage, logDir, register, aiCommit, deployed, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
