// The editor features across collector lifecycles: a second window attaching to the running
// collector instead of starting one, and a SIGKILLed collector being restarted with the
// lens coming back (the data was acknowledged, so it survived).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CollectorSupervisor } from '../../../extension/collectorSupervisor';
import { LiveCollectorClient } from '../../../extension/client/liveCollectorClient';
import type { Log } from '../../../extension/log';
import { consoleLog, editorApi, lensesOf, sendSpans, waitFor, writeSource } from './hostHelpers';

describe('editor features across collector lifecycles (in the extension host)', function () {
  this.timeout(120_000);

  it('a second window attaches to the running collector and sees the same data', async () => {
    const { api } = await editorApi();
    const file = writeSource('src/shared.ts', 'export function shared() {\n  return 1;\n}\n');
    await sendSpans(Array.from({ length: 4 }, () => ({ name: 'shared', file, line: 1, durationMs: 8 })));
    const running = api.supervisor.state;
    assert.ok(running.kind === 'running');
    // Not a second `Log`: an output channel of the same name is shared with the extension's own.
    const log = consoleLog() as unknown as Log;
    // What a second VS Code window does on activation: the same supervisor and the same global
    // storage folder (VS Code gives every window of a user the same one), where it finds the
    // secret the running collector proves it holds.
    const ctx = { globalStorageUri: vscode.Uri.file(path.dirname(running.storage)), extensionPath: vscode.extensions.getExtension('vibewatch.vibewatch')!.extensionPath, subscriptions: [] } as unknown as vscode.ExtensionContext;
    const second = new CollectorSupervisor(ctx, log);
    const client = new LiveCollectorClient(second, { log: consoleLog(), folders: () => [path.dirname(path.dirname(file))] });
    try {
      const state = await second.ensure();
      assert.equal(state.kind, 'running');
      const first = api.supervisor.state;
      assert.ok(state.kind === 'running' && first.kind === 'running');
      assert.equal(state.owned, false, 'attached, not spawned');
      assert.equal(state.health.pid, first.health.pid, 'the same collector process');
      assert.equal(second.childPid, undefined);
      const summary = await waitFor('the shared file summary', async () => {
        const s = await client.request('fileSummary', { file });
        return s.lines.some((l) => l.calls >= 4) ? s : undefined;
      }, 10_000);
      assert.equal(summary.lines.find((l) => l.line === 1)?.calls, 4);
    } finally {
      client.dispose();
      second.dispose();
    }
  });

  it('survives the collector being killed: it restarts, reconnects and the lens comes back', async () => {
    const { api, editor } = await editorApi();
    const file = writeSource('src/survivor.ts', 'export function survive() {\n  return 1;\n}\n');
    await sendSpans(Array.from({ length: 6 }, () => ({ name: 'survive', file, line: 1, durationMs: 12 })));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    await waitFor('the lens before the crash', async () => (await lensesOf(uri)).some((l) => l.title.startsWith('6 calls')) || undefined, 15_000);
    const pid = api.supervisor.childPid;
    assert.ok(pid, 'this window started the collector');
    process.kill(pid, 'SIGKILL');
    await waitFor('a new collector process', () => {
      const s = api.supervisor.state;
      return s.kind === 'running' && s.health.pid !== pid ? s : undefined;
    }, 30_000, 100);
    await waitFor('the live client to reconnect', () => editor.client.connected || undefined, 15_000);
    const lens = await waitFor('the lens after the restart', async () => (await lensesOf(uri)).find((l) => l.title.startsWith('6 calls')), 20_000, 100);
    assert.equal(lens.line, 0);
    // New telemetry after the restart still reaches the lens.
    await sendSpans([{ name: 'survive', file, line: 1, durationMs: 12 }]);
    await waitFor('7 calls after the restart', async () => (await lensesOf(uri)).some((l) => l.title.startsWith('7 calls')) || undefined, 10_000);
  });
});
