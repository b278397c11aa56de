// Panel tests load the bundles from dist/webview; build them once per run if missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
let built = false;

export function ensurePanelsBuilt(): void {
  if (built || (process.env.VIBEWATCH_SKIP_BUILD && existsSync(join(root, 'dist/webview/traces.js')))) return;
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
  built = true;
}
