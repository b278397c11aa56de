// `npm start`: the whole product on the example shop. Generates the shop's git repository
// (fresh each run) into ${XDG_CACHE_HOME:-~/.cache}/vibewatch-demo/shop, then starts, each
// as its own process: the collector, the pricing service and the shop under
// `--require dist/register.js`, the load generator (scripts/demoStack.ts), and code-server
// with the extension and the shop open. Prints what runs where; Ctrl-C stops everything
// it started, by pid.
//   --no-editor         skip code-server (collector, services and load only)
//   --minutes N         how long the load generator runs (default 30; the leak would
//                      exhaust the shop's 256 MB heap after about 50 minutes)
//   --rate N            requests per second (default 8)
// The shop starts at the revision before the last AI commit and is redeployed at HEAD once
// the load has made enough calls for a before/after (scripts/demoStack.ts).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './makeShopRepo';
import { DEMO_SLOW_QUERY_MS, preferredPort, startDemoStack, type DemoStack } from './demoStack';
import { startCodeServer, type CodeServer } from '../test/harness/codeServer';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
let stack: DemoStack | undefined;
let codeServer: CodeServer | undefined;
let stopping = false;

function say(line: string): void {
  process.stdout.write(`[demo] ${line}\n`);
}

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say('stopping everything it started…');
  for (const p of [...(stack?.procs ?? [])].reverse()) {
    if (p.child.exitCode === null && p.child.signalCode === null) say(`  SIGTERM ${p.name} (pid ${p.child.pid})`);
  }
  if (codeServer) say(`  stopping code-server (pid ${codeServer.pid}) and its extension host`);
  await Promise.all([stack?.stop(), codeServer?.dispose()]);
  say('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vibewatch-demo');
  const minutes = Number(flag('minutes', '30'));
  const rate = Number(flag('rate', '8'));
  stack = await startDemoStack({
    dir,
    rate,
    minutes,
    ports: { collector: 4318, pricing: 3001, shop: 3000 },
    echo: (name, line) => process.stdout.write(`  ${name.padEnd(9)}| ${line.slice(0, 300)}\n`),
    onExit: (name, pid, code) => say(`${name} (pid ${pid}) exited (${code})`),
    onDeploy: (d) => say(`deployed: the shop now runs ${d.to.slice(0, 7)} (was ${d.from.slice(0, 7)}), with AI commit ${d.aiCommit.sha.slice(0, 7)} "${d.aiCommit.subject}"; its before/after shows on the lens in src/routes/orders.js within a minute`),
  });
  const s = stack;
  s.deployed.catch((err: Error) => { if (!stopping) say(`deploy failed: ${err.message}`); });
  say(`shop repository: ${s.repo.dir} (${s.repo.commits.length} commits, ${s.repo.commits.filter((c) => c.coAuthoredBy).length} AI-assisted)`);

  let openUrl: string | undefined;
  if (!args.includes('--no-editor')) {
    codeServer = await startCodeServer({
      port: await preferredPort(8080),
      log: () => undefined,
      // The extension trusts a collector that proves it holds the secret of a folder it
      // knows; VIBEWATCH_STORAGE names the demo collector's.
      env: { VIBEWATCH_STORAGE: s.storage },
      userSettings: {
        'vibewatch.collector.port': s.collectorPort,
        // See DEMO_SLOW_QUERY_MS: an in-memory database, not a database server.
        'vibewatch.thresholds.slowQueryMs': DEMO_SLOW_QUERY_MS,
      },
    });
    const remote = `vscode-remote://127.0.0.1:${codeServer.port}${REPO_ROOT}`;
    openUrl = codeServer.urlFor(s.repo.dir, [['extensionDevelopmentPath', remote]]);
  }

  say('running:');
  for (const p of s.procs) say(`  ${p.name.padEnd(11)} pid ${p.child.pid}`);
  if (codeServer) say(`  code-server pid ${codeServer.pid} (data in ${codeServer.dir})`);
  say(`collector   ${s.collectorUrl} (storage ${s.storage}); status page ${s.collectorUrl}/status`);
  say(`pricing     ${s.pricingUrl}   shop ${s.shopUrl}  (both under --require ${s.register})`);
  say(`load        ${rate} req/s for ${minutes} min`);
  say(`deploy      the shop runs the revision before AI commit ${s.aiCommit.sha.slice(0, 7)} "${s.aiCommit.subject}"; it is deployed (shop restarted at HEAD) after the first calls`);
  say(`logs        ${s.logDir}/<name>.log`);
  if (openUrl) say(`open        ${openUrl}`);
  say('Ctrl-C stops everything above.');
}

main().catch((err: Error) => {
  say(`failed: ${err.message}`);
  void stopAll(1);
});
