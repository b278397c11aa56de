// The real process I/O for the CLI.
import { realpathSync } from 'node:fs';
import type { CliIo } from './command';

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    readStdin: () => new Promise((resolve, reject) => {
      let text = '';
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (c: string) => (text += c));
      process.stdin.on('end', () => resolve(text));
      process.stdin.on('error', reject);
    }),
  };
}

/**
 * True when the running script is the file `filename` (the module's `__filename`).
 * `require.main === module` is not enough: esbuild bundles every module into one scope,
 * where that test is true for any module of the entry bundle that imports this one.
 */
export function isMainScript(filename: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  for (const candidate of [script, script + '.js']) {
    try {
      if (realpathSync(candidate) === realpathSync(filename)) return true;
    } catch (err) {
      void err; // candidate does not exist: try the next spelling
    }
  }
  return false;
}
