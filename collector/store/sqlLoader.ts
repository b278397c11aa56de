// Loads sql.js once per thread. The wasm is found next to the bundle (dist/sql-wasm.wasm,
// copied by scripts/build.mjs, beside dist/cli.js, dist/collectorProcess.js and
// dist/storeWorker.js; one folder up for nested bundles such as dist/bench/index.js) or,
// when running from sources under tsx, in node_modules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

export function wasmPath(): string {
  const candidates = [join(__dirname, 'sql-wasm.wasm'), join(__dirname, '..', 'sql-wasm.wasm')];
  try {
    candidates.push(require.resolve('sql.js/dist/sql-wasm.wasm'));
  } catch (err) {
    // Bundled without node_modules: only the copy next to the bundle can exist.
    void err;
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`sql-wasm.wasm not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadSql(): Promise<SqlJsStatic> {
  if (!loading) {
    const file = wasmPath();
    loading = initSqlJs({ locateFile: () => file });
  }
  return loading;
}
