// The same in-host suite under @vscode/test-electron, for machines that can download
// VS Code (these CI machines cannot: use runInHost.ts there). `npm run test:electron`.
import * as path from 'node:path';
import { findFreePort } from '../../collector/live/probe';
import { makeTestWorkspace } from './testWorkspace';
import { artifactsDir, repoRoot } from './tools';

async function main(): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  const root = repoRoot();
  const port = await findFreePort();
  const ws = makeTestWorkspace({ 'vibewatch.collector.port': port });
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist', 'test', 'integration', 'index.js'),
      launchArgs: [ws.dir, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: {
        VIBEWATCH_TEST_WORKSPACE: ws.dir,
        VIBEWATCH_TEST_COLLECTOR_PORT: String(port),
        VIBEWATCH_TEST_ARTIFACTS: artifactsDir('host'),
        RESULTS_FILE: path.join(artifactsDir('host'), 'electron-results.json'),
      },
    });
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    return 1;
  } finally {
    ws.dispose();
  }
}

main().then((c) => process.exit(c));
