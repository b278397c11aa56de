// Runs the in-host mocha suite (dist/test/integration/index.js) inside a real VS Code
// extension host: code-server serves the workbench, Debian's Chromium opens it with a test
// payload (extensionDevelopmentPath + extensionTestsPath), the suite writes its results to a
// file, and this launcher prints them and exits non-zero on any failure.
// Env: VIBEWATCH_HOST_GREP (mocha grep), VIBEWATCH_TOTALS_FILE (totals for scripts/test-all).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFreePort } from '../../collector/live/probe';
import { launchChromium } from './chromium';
import { startCodeServer } from './codeServer';
import { artifactsDir, repoRoot } from './tools';
import { makeHostWorkspaces } from './testWorkspace';
import type { HostResults } from '../integration/index';

const RUN_TIMEOUT_MS = Number(process.env.VIBEWATCH_HOST_RUN_TIMEOUT ?? 8 * 60_000);

async function main(): Promise<number> {
  const root = repoRoot();
  const suite = path.join(root, 'dist', 'test', 'integration', 'index.js');
  if (!fs.existsSync(suite)) throw new Error(`${suite} is missing: run \`node scripts/build.mjs\` first`);
  const out = artifactsDir('host');
  const logLines: string[] = [];
  const log = (l: string) => logLines.push(l);
  const resultsFile = path.join(os.tmpdir(), `vibewatch-host-results-${process.pid}.json`);
  fs.rmSync(resultsFile, { force: true });

  const collectorPort = await findFreePort();
  const workspaces = makeHostWorkspaces({ 'vibewatch.collector.port': collectorPort });
  const workspace = workspaces.main;
  const server = await startCodeServer({ log });
  const browser = await launchChromium();
  let exitCode: number | undefined;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => log(`[browser:${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log(`[browser:pageerror] ${e.message}`));
    const automationExit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const env = {
      RESULTS_FILE: resultsFile,
      VIBEWATCH_TEST_WORKSPACE: workspace.dir,
      VIBEWATCH_TEST_AIDIFF_FOLDER: workspaces.aiDiffFolder,
      VIBEWATCH_TEST_TEAM_FOLDER: workspaces.teamFolder,
      VIBEWATCH_TEST_COLLECTOR_PORT: String(collectorPort),
      VIBEWATCH_TEST_ARTIFACTS: out,
      VIBEWATCH_HOST_GREP: process.env.VIBEWATCH_HOST_GREP ?? '',
    };
    const url = server.urlFor(workspaces.workspaceFile, [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(suite)],
      ['extensionEnvironment', JSON.stringify(env)],
    ]);
    await page.goto(url);
    const resultsReady = waitForFile(resultsFile, RUN_TIMEOUT_MS);
    const outcome = await Promise.race([
      resultsReady.then(() => 'results' as const),
      automationExit.then((c) => {
        exitCode = c;
        return 'exit' as const;
      }),
      delay(RUN_TIMEOUT_MS).then(() => 'timeout' as const),
    ]);
    if (outcome === 'exit' && !fs.existsSync(resultsFile)) await Promise.race([resultsReady, delay(3000)]);
    await page.screenshot({ path: path.join(out, 'host-final.png') }).catch((e: Error) => log(`screenshot failed: ${e.message}`));
    if (!fs.existsSync(resultsFile)) {
      console.error(`in-host suite produced no results (${outcome}${exitCode !== undefined ? `, exit ${exitCode}` : ''}); log: ${path.join(out, 'host.log')}`);
      return 2;
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as HostResults;
    for (const t of results.tests) {
      const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✖' : '-';
      console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
      if (t.error) console.log(t.error.split('\n').map((l) => `      ${l}`).join('\n'));
    }
    console.log(`\n  in-host: ${results.passes} passing, ${results.failures} failing, ${results.pending} pending`);
    const totals = process.env.VIBEWATCH_TOTALS_FILE;
    if (totals) {
      fs.mkdirSync(path.dirname(totals), { recursive: true });
      fs.writeFileSync(totals, JSON.stringify({ passes: results.passes, failures: results.failures, pending: results.pending }));
    }
    return results.failures > 0 ? 1 : 0;
  } finally {
    fs.writeFileSync(path.join(out, 'host.log'), logLines.join('\n'));
    await browser.close();
    await server.dispose();
    workspaces.dispose();
    fs.rmSync(resultsFile, { force: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) return;
    await delay(250);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(2);
  },
);
