// Builds the installable runtime package `vibewatch` (what an app adds as a dev dependency):
// `vibewatch/register` and the `vibewatch` CLI, bundled, with two real dependencies (see
// RUNTIME_DEPS). The VS Code extension is the
// .vsix (`npm run package`); this is the npm side.
//   node scripts/pack-runtime.mjs [--out DIR]   → DIR/package/ and DIR/vibewatch-<version>.tgz
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const outIdx = argv.indexOf('--out');
const out = outIdx >= 0 ? argv[outIdx + 1] : join(root, 'dist', 'npm');
const pkgDir = join(out, 'package');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Kept external (real dependencies). @opentelemetry/instrumentation: its ESM hook is resolved
// by file at run time, and all instrumentations share its one copy. @opentelemetry/api: there
// must be exactly one copy in the app — instrumentation depends on it, and a second, bundled
// copy of another minor version refuses the tracer provider the SDK registered (no spans).
const RUNTIME_DEPS = ['@opentelemetry/api', '@opentelemetry/instrumentation'];

rmSync(pkgDir, { recursive: true, force: true });
mkdirSync(pkgDir, { recursive: true });
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning', loader: { '.proto': 'text', '.md': 'text', '.html': 'text' }, define: { 'process.env.VIBEWATCH_BUILD': '"production"' } };
await esbuild.build({ ...common, entryPoints: { register: join(root, 'register/register.ts') }, outdir: pkgDir, external: RUNTIME_DEPS.flatMap((d) => [d, `${d}/*`]) });
await esbuild.build({
  ...common,
  entryPoints: { cli: join(root, 'collector/cli/main.ts'), storeWorker: join(root, 'collector/store/worker.ts') },
  outdir: pkgDir,
  banner: { js: '#!/usr/bin/env node' },
});
copyFileSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(pkgDir, 'sql-wasm.wasm'));
copyFileSync(join(root, 'LICENSE'), join(pkgDir, 'LICENSE'));
writeFileSync(join(pkgDir, 'README.md'), [
  '# vibewatch (runtime)',
  '',
  'Instruments a Node app for the Vibewatch VS Code extension and its local OpenTelemetry collector.',
  '',
  '```sh',
  'npm install --save-dev vibewatch',
  'node --require vibewatch/register app.js      # CommonJS',
  'node --import vibewatch/register app.mjs      # ES modules',
  'npx vibewatch stats                           # the CLI',
  '```',
  '',
].join('\n'));
const pkg = {
  name: 'vibewatch',
  version: manifest.version,
  description: 'Runtime for Vibewatch: `vibewatch/register` instruments a Node app (OpenTelemetry, code locations) and the `vibewatch` CLI reads the local collector.',
  license: manifest.license,
  engines: { node: manifest.engines.node },
  bin: { vibewatch: 'cli.js' },
  exports: { './register': './register.js', './package.json': './package.json' },
  files: ['register.js', 'cli.js', 'storeWorker.js', 'sql-wasm.wasm', 'README.md', 'LICENSE'],
  dependencies: Object.fromEntries(RUNTIME_DEPS.map((d) => [d, manifest.dependencies[d]])),
};
writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
const packed = execFileSync('npm', ['pack', pkgDir, '--pack-destination', out, '--json'], { encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
const info = JSON.parse(packed)[0];
console.log(JSON.stringify({ tarball: join(out, info.filename), packedBytes: info.size, unpackedBytes: info.unpackedSize, files: info.entryCount }));
