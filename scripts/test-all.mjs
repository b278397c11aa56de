// `npm test`: build, type-check, lint, then the three test layers in order
//   1. unit (plain Node, mocha)  2. in-host (real VS Code extension host via code-server)
//   3. end-to-end (Chromium driving the workbench and the pages).
// Each layer writes its totals to test-artifacts/totals-<layer>.json; the last line printed
// is "N passed, N failed". Exits non-zero when any step fails. Set VIBEWATCH_TEST_LAYERS
// (e.g. "unit") to run a subset.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
const layers = (process.env.VIBEWATCH_TEST_LAYERS || 'unit,host,e2e').split(',').map((s) => s.trim());

function step(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ok;
}

let failedSteps = [];
// The in-host and browser layers need chromium, Node 24 and code-server (cached outside the
// repo; a no-op when present), so `npm ci && npm test` works on a fresh machine.
if ((layers.includes('host') || layers.includes('e2e')) && !process.env.VIBEWATCH_SKIP_TOOLS) {
  if (!step('tools', 'bash', ['scripts/ensure-tools.sh'])) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const npx = (bin) => join(root, 'node_modules', '.bin', bin);
if (!step('build', process.execPath, ['scripts/build.mjs'])) failedSteps.push('build');
if (!step('typecheck', npx('tsc'), ['--noEmit', '-p', '.'])) failedSteps.push('typecheck');
if (!step('lint', process.execPath, ['scripts/lint.mjs'])) failedSteps.push('lint');

const totals = { passes: 0, failures: 0, pending: 0 };
function layer(name, cmd, args) {
  const file = join(artifacts, `totals-${name}.json`);
  rmSync(file, { force: true });
  const ok = step(name, cmd, args, { VIBEWATCH_TOTALS_FILE: file });
  if (existsSync(file)) {
    const t = JSON.parse(readFileSync(file, 'utf8'));
    totals.passes += t.passes; totals.failures += t.failures; totals.pending += t.pending;
    if (!ok && t.failures === 0) totals.failures += 1; // the layer failed outside a test
  } else if (!ok || !existsSync(file)) {
    totals.failures += 1; // no results at all: count the layer itself as a failure
  }
  if (!ok) failedSteps.push(name);
}
// Specs are named here, not in the mocharc files, so `npx mocha FILE` runs just FILE.
if (layers.includes('unit')) layer('unit', npx('mocha'), ['test/unit/**/*.test.ts']);
if (layers.includes('host')) layer('host', process.execPath, ['dist/test/runInHost.js']);
if (layers.includes('e2e')) layer('e2e', npx('mocha'), ['--config', 'test/e2e/.mocharc.json', 'test/e2e/**/*.test.ts']);

console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`${totals.passes} passed, ${totals.failures} failed, ${totals.pending} skipped`);
process.exit(failedSteps.length ? 1 : 0);
