import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFreePort } from '../../../collector/live/probe';
import { makeTestWorkspace, type TestWorkspace } from '../../harness/testWorkspace';
import { repoRoot } from '../../harness/tools';
import { openWorkbench, type Workbench } from '../../harness/workbench';

// Stages the package in a temp folder (so ./dist, used by the other tests, is untouched),
// builds it with vsce exactly as `npm run package` does, and installs it into code-server.
describe('the .vsix package', function () {
  this.timeout(240_000);
  const root = repoRoot();
  let stage: string;
  let vsix: string;
  let ws: TestWorkspace | undefined;
  let wb: Workbench | undefined;

  before(() => {
    stage = fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-vsix-'));
    for (const f of ['package.json', 'README.md', 'LICENSE', '.vscodeignore']) fs.copyFileSync(path.join(root, f), path.join(stage, f));
    fs.cpSync(path.join(root, 'media'), path.join(stage, 'media'), { recursive: true });
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production', '--out', path.join(stage, 'dist')], { stdio: 'pipe' });
    vsix = path.join(stage, 'vibewatch.vsix');
    execFileSync(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '-o', vsix], { cwd: stage, stdio: 'pipe' });
  });
  after(async () => {
    await wb?.dispose();
    ws?.dispose();
    fs.rmSync(stage, { recursive: true, force: true });
  });

  it('is under 5 MB and carries the bundles and the sql.js wasm but no sources or tests', () => {
    const size = fs.statSync(vsix).size;
    assert.ok(size < 5 * 1024 * 1024, `vsix is ${(size / 1024 / 1024).toFixed(2)} MB`);
    const listing = execFileSync(path.join(root, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8' });
    const files = listing.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const must of ['dist/extension.js', 'dist/collectorProcess.js', 'dist/storeWorker.js', 'dist/cli.js', 'dist/sql-wasm.wasm', 'dist/webview/traces.js', 'package.json']) {
      assert.ok(files.includes(must), `${must} missing from the package: ${files.join(', ')}`);
    }
    const unwanted = files.filter((f) => /\.ts$|\.map$|^test\/|^node_modules\//.test(f));
    assert.deepEqual(unwanted, []);
  });

  it('installs with code-server --install-extension, activates and runs its collector', async () => {
    ws = makeTestWorkspace({ 'vibewatch.collector.port': await findFreePort() });
    wb = await openWorkbench(ws.dir, { installVsix: [vsix] });
    await wb.page.locator('.statusbar-item', { hasText: 'Vibewatch' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    // The pulse means the packaged collector (dist/collectorProcess.js + storeWorker.js +
    // sql-wasm.wasm, nothing from node_modules) started and answered /health.
    await wb.page.waitForFunction(
      () => [...document.querySelectorAll('.statusbar-item')].some((e) => /Vibewatch/.test(e.textContent ?? '') && e.querySelector('.codicon-pulse')),
      undefined,
      { timeout: 90_000 },
    );
    await wb.screenshot('vsix-installed');
  });
});
