// The in-host mocha suite: loaded by VS Code's extension host as `extensionTestsPath`.
// Independent of the launcher: code-server (test/harness/runInHost.ts, the default here) and
// @vscode/test-electron (test/harness/runInElectron.ts) both call `run()`.
// Results go to the file named by $RESULTS_FILE (written to a temp file, then renamed) so the
// launcher can report them even when the host's console is not visible.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface HostTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}
export interface HostResults {
  passes: number;
  failures: number;
  pending: number;
  tests: HostTestResult[];
}

export function makeRun(loadTests: () => void): () => Promise<void> {
  return async function run(): Promise<void> {
    // mocha is resolved from the repository's node_modules at run time (not bundled).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Mocha = require('mocha') as typeof import('mocha');
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: Number(process.env.VIBEWATCH_HOST_TIMEOUT ?? 60_000), reporter: 'spec' });
    const grep = process.env.VIBEWATCH_HOST_GREP;
    if (grep) mocha.grep(grep);
    mocha.suite.emit('pre-require', globalThis, 'vibewatch-host-suite', mocha);
    loadTests();
    const results: HostResults = { passes: 0, failures: 0, pending: 0, tests: [] };
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => {
        results.passes++;
        results.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
      });
      runner.on('fail', (t, err: Error) => {
        results.failures++;
        results.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) });
      });
      runner.on('pending', (t) => {
        results.pending++;
        results.tests.push({ title: t.fullTitle(), state: 'pending' });
      });
    });
    const file = process.env.RESULTS_FILE;
    if (file) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file + '.tmp', JSON.stringify(results, null, 2));
      fs.renameSync(file + '.tmp', file);
    }
    if (results.failures > 0) throw new Error(`${results.failures} in-host test(s) failed`);
  };
}
