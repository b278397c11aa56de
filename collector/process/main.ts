// The collector process the extension spawns (bundled to dist/collectorProcess.js).
// Config from argv flags (as `vibewatch collect`) and VIBEWATCH_* environment variables.
// stdout carries one JSON line per event; the first one the parent waits for is
// {"event":"listening",...} or {"event":"already-running",...}.
import { parseArgs } from '../cli/command';
import { COLLECT_OPTIONS } from '../cli/collectOptions';
import { ConfigError, configFrom, REFUSED_FLAGS } from '../config';
import { jsonLine, runCollector } from '../server/run';
import { collectorPlugins } from './app';
import { EXIT_CONFIG } from '../exitCodes';

async function main(): Promise<number> {
  // The parent reads stdout through a pipe. If it goes away the collector keeps serving the
  // other windows (it is shared), so a broken pipe only stops the log, never the process.
  let stdoutOpen = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    stdoutOpen = false;
    if (err.code !== 'EPIPE') process.stderr.write(`stdout failed: ${err.message}\n`);
  });
  const print = (line: string) => {
    if (stdoutOpen) process.stdout.write(line + '\n');
  };
  let config;
  try {
    const { flags } = parseArgs(process.argv.slice(2));
    // The same flags as `vibewatch collect`: a misspelt one is a configuration error, not ignored.
    const known = new Set(COLLECT_OPTIONS.map((o) => o.name));
    const unknown = Object.keys(flags).filter((f) => !known.has(f));
    const refused = unknown.find((f) => REFUSED_FLAGS[f]);
    if (refused) throw new ConfigError(REFUSED_FLAGS[refused]);
    if (unknown.length) throw new ConfigError(`unknown option ${unknown.map((f) => `--${f}`).join(', ')}`);
    config = configFrom(flags, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    print(jsonLine({ event: 'config-error', message: err.message }));
    return EXIT_CONFIG;
  }
  return runCollector(config, { print, plugins: collectorPlugins() });
}

// This file is only ever an entry point (dist/collectorProcess.js); nothing imports it.
void main().then(
  (code) => {
    process.exitCode = code;
    // Leave time for stdout to drain; exit even if a stray handle would keep us alive.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (err: Error) => {
    process.stdout.write(jsonLine({ event: 'crashed', message: err.message, stack: err.stack }) + '\n');
    process.exit(1);
  },
);
