// `npm start`: the whole product on the example shop. Generates the shop's git repository
// (fresh each run) into ${XDG_CACHE_HOME:-~/.cache}/vibewatch-demo/shop, then starts, each
// as its own process: the collector, the pricing service and the shop under
// `--require dist/register.js`, the load generator, and code-server with the extension and
// the shop open. Prints what runs where; Ctrl-C stops everything it started, by pid.
//   --no-editor         skip code-server (collector, services and load only)
//   --minutes N         how long the load generator runs (default 60)
//   --rate N            requests per second (default 8)
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeShopRepo, REPO_ROOT } from './makeShopRepo';
import { findFreePort } from '../collector/live/probe';
import { startCodeServer, type CodeServer } from '../test/harness/codeServer';

interface Proc {
  name: string;
  child: ChildProcess;
}

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const procs: Proc[] = [];
let codeServer: CodeServer | undefined;
let stopping = false;
let logDir = '';

function say(line: string): void {
  process.stdout.write(`[demo] ${line}\n`);
}

/** Spawns a process, prefixes its output, resolves when a stdout line matches `ready`. */
/** Output goes to <cache>/logs/<name>.log; the console sees it only until the process is ready. */
function start(name: string, cmd: string, argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; ready: RegExp; quiet?: boolean }): Promise<RegExpExecArray> {
  const child = spawn(cmd, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push({ name, child });
  const file = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  let buffer = '';
  return new Promise((resolve, reject) => {
    let ready = false;
    const onLine = (line: string, _err: boolean) => {
      file.write(line + '\n');
      if (!ready && !opts.quiet) process.stdout.write(`  ${name.padEnd(9)}| ${line}\n`);
    };
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const m = !ready ? opts.ready.exec(buffer) : null;
      if (m) {
        ready = true;
        resolve(m);
      }
      d.toString().split('\n').filter(Boolean).forEach((l) => onLine(l, false));
    });
    child.stderr!.on('data', (d: Buffer) => d.toString().split('\n').filter(Boolean).forEach((l) => onLine(l, true)));
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`${name} exited (${code ?? signal}) before it was ready`));
      else if (!stopping) say(`${name} (pid ${child.pid}) exited (${code ?? signal})`);
    });
  });
}

async function preferredPort(port: number): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => void findFreePort().then(resolve));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(port)));
  });
}

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say('stopping everything it started…');
  for (const p of [...procs].reverse()) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      say(`  SIGTERM ${p.name} (pid ${p.child.pid})`);
      p.child.kill('SIGTERM');
    }
  }
  if (codeServer) {
    say(`  stopping code-server (pid ${codeServer.pid}) and its extension host`);
    await codeServer.dispose();
  }
  await Promise.all(procs.map((p) => new Promise<void>((r) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return r();
    const t = setTimeout(() => { p.child.kill('SIGKILL'); r(); }, 4000);
    p.child.once('exit', () => { clearTimeout(t); r(); });
  })));
  say('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vibewatch-demo');
  const shopDir = join(cache, 'shop');
  const storage = join(cache, 'collector');
  logDir = join(cache, 'logs');
  for (const d of [shopDir, storage, logDir]) rmSync(d, { recursive: true, force: true });
  for (const d of [storage, logDir]) mkdirSync(d, { recursive: true });
  const register = join(REPO_ROOT, 'dist', 'register.js');
  if (!existsSync(register)) throw new Error(`${register} is missing: run \`node scripts/build.mjs\` first (npm start does)`);

  const repo = await makeShopRepo(shopDir, { linkNodeModules: join(REPO_ROOT, 'node_modules') });
  say(`shop repository: ${shopDir} (${repo.commits.length} commits, ${repo.commits.filter((c) => c.coAuthoredBy).length} AI-assisted)`);

  const collectorPort = await preferredPort(4318);
  const listening = await start('collector', process.execPath, [join(REPO_ROOT, 'dist', 'collectorProcess.js'), '--port', String(collectorPort), '--storage', storage], { ready: /"event":"(listening|already-running)"/, quiet: true });
  if (listening[1] !== 'listening') throw new Error(`a collector already runs on ${collectorPort}`);
  const endpoint = `http://127.0.0.1:${collectorPort}`;

  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRIC_EXPORT_INTERVAL: '5000', NODE_OPTIONS: '' };
  const pricingPort = await preferredPort(3001);
  await start('pricing', process.execPath, ['--require', register, 'pricing/server.js'], { cwd: shopDir, env: { ...otel, PORT: String(pricingPort) }, ready: /listening/ });
  const shopPort = await preferredPort(3000);
  // A 256 MB heap: the leaking quote cache then reaches its limit within the hour, which is
  // what the memory-trend alert forecasts.
  await start('shop', process.execPath, ['--max-old-space-size=256', '--require', register, 'src/server.js'], {
    cwd: shopDir,
    env: { ...otel, PORT: String(shopPort), PRICING_URL: `http://127.0.0.1:${pricingPort}` },
    ready: /listening/,
  });
  const minutes = Number(flag('minutes', '60'));
  const rate = Number(flag('rate', '8'));
  await start('load', process.execPath, ['load.js', '--url', `http://127.0.0.1:${shopPort}`, '--rate', String(rate), '--duration', String(minutes * 60)], { cwd: shopDir, ready: /load:/ });

  let openUrl: string | undefined;
  if (!args.includes('--no-editor')) {
    const port = await preferredPort(8080);
    codeServer = await startCodeServer({
      port,
      log: () => undefined,
      userSettings: {
        'vibewatch.collector.port': collectorPort,
        // The shop's in-memory SQLite answers a full scan in ~50 ms (an indexed lookup takes
        // 0.05 ms); the 200 ms default is meant for a real database server.
        'vibewatch.thresholds.slowQueryMs': 25,
      },
    });
    const remote = `vscode-remote://127.0.0.1:${codeServer.port}${REPO_ROOT}`;
    openUrl = codeServer.urlFor(shopDir, [['extensionDevelopmentPath', remote]]);
  }

  say('running:');
  for (const p of procs) say(`  ${p.name.padEnd(11)} pid ${p.child.pid}`);
  if (codeServer) say(`  code-server pid ${codeServer.pid} (data in ${codeServer.dir})`);
  say(`collector   ${endpoint} (storage ${storage}); status page ${endpoint}/status`);
  say(`pricing     http://127.0.0.1:${pricingPort}   shop http://127.0.0.1:${shopPort}  (both under --require ${register})`);
  say(`load        ${rate} req/s for ${minutes} min`);
  say(`logs        ${logDir}/<name>.log`);
  if (openUrl) say(`open        ${openUrl}`);
  say('Ctrl-C stops everything above.');
}

main().catch((err: Error) => {
  say(`failed: ${err.message}`);
  void stopAll(1);
});
