import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

describe('SqlStore bundled', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'vw-bundle-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds dist/storeWorker.js and dist/sql-wasm.wasm next to the bundle and stores through the worker', async () => {
    const root = join(__dirname, '..', '..', '..', '..');
    const dist = join(dir, 'dist');
    // The same options as scripts/build.mjs for node bundles.
    await esbuild.build({
      bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error',
      entryPoints: { entry: join(__dirname, 'bundledEntry.ts'), storeWorker: join(root, 'collector/store/worker.ts') },
      outdir: dist,
    });
    copyFileSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(dist, 'sql-wasm.wasm'));
    const data = join(dir, 'data');
    mkdirSync(data);
    // cwd and NODE_PATH away from the repo: only the bundle folder can provide the files.
    const out = execFileSync(process.execPath, [join(dist, 'entry.js'), data], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { spans: 3, stored: 12, segments: 2 });
  });
});
