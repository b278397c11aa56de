// Builds every bundle with esbuild. Entries are found by convention so a new panel, CLI
// verb or in-host test needs no edit here:
//   extension/extension.ts            -> dist/extension.js   (node, cjs, vscode external)
//   collector/cli/main.ts             -> dist/cli.js         (node; the `vibewatch` bin)
//   collector/process/main.ts         -> dist/collectorProcess.js (what the extension spawns)
//   collector/store/worker.ts         -> dist/storeWorker.js (the store's worker thread)
//   register/register.ts              -> dist/register.js    (`vibewatch/register`)
//   webview/panels/<name>/main.ts     -> dist/webview/<name>.js (browser, iife)
//   webview/panels/<name>/*.css, uPlot css -> dist/webview/
//   test/integration/**/*.test.ts     -> dist/test/integration/index.js (in-host suite)
//   test/harness/run*.ts              -> dist/test/*.js
//   scripts/demo.ts                   -> dist/demo.js
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const args = new Set(argv);
// --out DIR: build into DIR instead of ./dist (the package test stages a .vsix elsewhere).
const outIdx = argv.indexOf('--out');
const distDir = outIdx >= 0 ? argv[outIdx + 1] : join(root, 'dist');
const production = args.has('--production');
const watch = args.has('--watch');

function walk(dir, accept) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full, accept));
    else if (accept(full)) out.push(full);
  }
  return out.sort();
}
const at = (p) => join(root, p);
const maybe = (p) => (existsSync(at(p)) ? [at(p)] : []);

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  loader: { '.proto': 'text', '.md': 'text', '.html': 'text' },
  define: { 'process.env.VIBEWATCH_BUILD': JSON.stringify(production ? 'production' : 'dev') },
};
const nodeCommon = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

const builds = [];
// Extension: everything bundled but vscode.
builds.push({ ...nodeCommon, entryPoints: { extension: at('extension/extension.ts') }, outdir: distDir, external: ['vscode'] });
// Collector CLI and the collector process.
const collectorEntries = {};
if (existsSync(at('collector/cli/main.ts'))) collectorEntries.cli = at('collector/cli/main.ts');
if (existsSync(at('collector/process/main.ts'))) collectorEntries.collectorProcess = at('collector/process/main.ts');
// The store's worker thread (raw inserts off the ingest path) is its own file next to them.
if (existsSync(at('collector/store/worker.ts'))) collectorEntries.storeWorker = at('collector/store/worker.ts');
builds.push({ ...nodeCommon, entryPoints: collectorEntries, outdir: distDir, banner: { js: '#!/usr/bin/env node' } });
// vibewatch/register: keeps the OpenTelemetry SDK external (it is the app's dependency tree).
if (existsSync(at('register/register.ts'))) {
  builds.push({ ...nodeCommon, entryPoints: { register: at('register/register.ts') }, outdir: distDir, external: ['@opentelemetry/*'] });
}
// Webview panels.
const panelEntries = {};
const panelsDir = at('webview/panels');
if (existsSync(panelsDir)) {
  for (const name of readdirSync(panelsDir)) {
    const main = join(panelsDir, name, 'main.ts');
    if (existsSync(main)) panelEntries[name] = main;
  }
}
if (Object.keys(panelEntries).length) {
  builds.push({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: panelEntries, outdir: join(distDir, 'webview'), loader: { ...common.loader, '.css': 'text', '.ttf': 'file' } });
}
// In-host integration suite: one bundle that registers every *.test.ts, plus its index.
const hostTests = walk(at('test/integration'), (f) => f.endsWith('.test.ts'));
if (existsSync(at('test/integration/index.ts'))) {
  const imports = hostTests.map((f) => `require(${JSON.stringify('./' + relative(at('test/integration'), f).replace(/\\/g, '/'))});`).join('\n');
  builds.push({
    ...nodeCommon,
    stdin: { contents: `exports.run = require('./index').makeRun(() => {\n${imports}\n});`, resolveDir: at('test/integration'), sourcefile: 'suite.ts', loader: 'ts' },
    outfile: join(distDir, 'test/integration/index.js'),
    external: ['vscode', 'mocha'],
  });
}
// Test launchers, benchmarks, demo.
const runners = {};
for (const f of walk(at('test/harness'), (f) => /\/run[A-Z]\w*\.ts$/.test(f))) runners[f.split('/').pop().replace(/\.ts$/, '')] = f;
if (Object.keys(runners).length) builds.push({ ...nodeCommon, entryPoints: runners, outdir: join(distDir, 'test'), external: ['playwright-core', 'mocha', '@vscode/test-electron'] });
// Benchmarks run from source with tsx (`npm run bench`), not bundled.
for (const [out, src] of [['demo', 'scripts/demo.ts']]) {
  if (existsSync(at(src))) builds.push({ ...nodeCommon, entryPoints: { [out]: at(src) }, outdir: distDir, external: ['playwright-core', '@opentelemetry/*'] });
}

function copyAssets() {
  mkdirSync(join(distDir, 'webview'), { recursive: true });
  copyFileSync(at('node_modules/sql.js/dist/sql-wasm.wasm'), join(distDir, 'sql-wasm.wasm'));
  const codicons = at('node_modules/@vscode/codicons/dist');
  if (existsSync(codicons)) {
    copyFileSync(join(codicons, 'codicon.css'), join(distDir, 'webview/codicon.css'));
    copyFileSync(join(codicons, 'codicon.ttf'), join(distDir, 'webview/codicon.ttf'));
  }
  for (const css of walk(at('webview'), (f) => f.endsWith('.css'))) copyFileSync(css, join(distDir, 'webview', css.split('/').pop()));
  const uplotCss = at('node_modules/uplot/dist/uPlot.min.css');
  if (existsSync(uplotCss)) copyFileSync(uplotCss, join(distDir, 'webview/uPlot.min.css'));
}

if (args.has('--clean')) rmSync(distDir, { recursive: true, force: true });
const started = Date.now();
if (watch) {
  copyAssets();
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('[build] watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyAssets();
  writeFileSync(join(distDir, '.build-info.json'), JSON.stringify({ production, builtAt: new Date().toISOString() }));
  console.log(`[build] ${builds.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
