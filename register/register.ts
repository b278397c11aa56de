// `node --require vibewatch/register app.js` (CommonJS apps) or
// `node --import vibewatch/register app.mjs` (ES modules; the same file, loaded as CJS by
// --import): instruments the app and sends its telemetry to the local Vibewatch collector.
// For ES-module apps it also registers import-in-the-middle's loader hook so `import http`
// is instrumented too. Never throws: a failure here prints one line and the app runs bare.
import { register as registerLoader } from 'node:module';
import { pathToFileURL } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { appDir } from './config';
import { EXIT_FLUSH_WORKER } from './exitFlush';
import { ownFolderOf, startVibewatch } from './start';

function looksLikeEsm(): boolean {
  if (process.env.VIBEWATCH_ESM === '1') return true;
  if (process.env.VIBEWATCH_ESM === '0') return false;
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  if (/--import\b/.test(flags) && /register/.test(flags)) return true;
  const main = process.argv[1] ?? '';
  if (main.endsWith('.mjs') || main.endsWith('.mts')) return true;
  const pj = join(appDir(), 'package.json');
  try {
    return existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { type?: string }).type === 'module';
  } catch {
    return false; // an unreadable package.json is reported by config.packageName
  }
}

const g = globalThis as { __vibewatchRegistered?: boolean };
// The worker that delivers a dying process's telemetry (exitFlush.ts) is not an app thread.
const exitWorker = !isMainThread && (workerData as Record<string, unknown> | null)?.[EXIT_FLUSH_WORKER] === true;
if (!g.__vibewatchRegistered && !exitWorker) {
  g.__vibewatchRegistered = true;
  try {
    if (looksLikeEsm() && typeof registerLoader === 'function') {
      registerLoader('@opentelemetry/instrumentation/hook.mjs', pathToFileURL(__filename));
    }
    const vw = startVibewatch({ ownFolder: ownFolderOf(__filename) });
    (globalThis as { __vibewatch?: unknown }).__vibewatch = vw;
  } catch (err) {
    process.stderr.write(`[vibewatch] instrumentation disabled: ${(err as Error).stack ?? err}\n`);
  }
}
