// The side views and Run Runbook… in the real host: the Errors view lists a group from real
// spans and selecting it reveals the throwing code; the AI Diffs view lists a marked range
// and reveals it; a runbook from .vibewatch/runbooks runs its shell step in a terminal and its
// VS Code command step (not on the allow-list) only after confirmation.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Runbook, RunbookStep } from '../../../collector/analysis/types';
import { renderNotification } from '../../harness/renderedSinks';
import { RunbookRunner, type RunbookUi } from '../../../extension/runbooks/runRunbook';
import { editorApi, sendSpans, waitFor, writeSource } from './hostHelpers';

async function runItem(item: vscode.TreeItem): Promise<void> {
  assert.ok(item.command, `${String(item.label)} has a command`);
  await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
}

describe('side views and runbooks (in the extension host)', function () {
  this.timeout(90_000);

  it('lists an error group in the Errors view and reveals its line when selected', async () => {
    const { editor } = await editorApi();
    const file = writeSource('src/views/payments.ts', 'export function charge(card?: { number: string }) {\n  // validate\n  return card!.number.length;\n}\n');
    const stack = `TypeError: Cannot read properties of undefined (reading 'number')\n    at charge (${file}:3:15)`;
    await sendSpans([{ name: 'charge', durationMs: 3, error: 'boom', exception: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'number')", stack } }]);
    const node = await waitFor('the group in the Errors view', async () => {
      await editor.trees.errors.refresh();
      // Titles are parameterised (quoted values replaced), so find the group by where it reveals.
      return editor.trees.errors.items.find((n) => (n.item.command?.arguments?.[0] as vscode.Uri | undefined)?.fsPath === file);
    }, 20_000, 500);
    assert.match(String(node.item.label), /^TypeError: Cannot read properties of undefined/);
    await runItem(node.item);
    const active = vscode.window.activeTextEditor;
    assert.equal(active?.document.uri.fsPath, file);
    assert.equal(active?.selection.active.line, 2);
  });

  it('lists a marked AI range in the AI Diffs view and reveals it when selected', async () => {
    const { editor } = await editorApi();
    const file = writeSource('src/views/discount.ts', 'export const x = 0;\nexport function discount(p: number) {\n  return p * 0.9;\n}\n');
    const ed = await vscode.window.showTextDocument(vscode.Uri.file(file));
    ed.selection = new vscode.Selection(1, 0, 3, 1);
    assert.equal(await vscode.commands.executeCommand('vibewatch.markAiSelection'), true);
    const node = await waitFor('the AI diff in the view', async () => {
      await editor.ai.refresh();
      await editor.trees.aiDiffs.refresh();
      return editor.trees.aiDiffs.items.find((n) => n.children?.some((c) => String(c.item.label) === 'discount.ts:2–4'));
    }, 15_000, 300);
    await vscode.window.showTextDocument(vscode.Uri.file(writeSource('src/views/other.ts', 'export {};\n')));
    await runItem(node.children!.find((c) => String(c.item.label) === 'discount.ts:2–4')!.item);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, 1);
  });

  it('runs a runbook: the shell step and the VS Code command step only after confirmation', async () => {
    const { editor } = await editorApi();
    writeSource('.vibewatch/runbooks/host-test.md', '---\ntitle: Host test runbook\nalerts: [host-test-*]\n---\n1. Check the deploys:\n```sh\necho vibewatch-runbook-ok\n```\n2. vscode: vibewatch.toggleAiDecorations\n');
    // The collector rereads .vibewatch/ every 30 s.
    const rb = await waitFor('the runbook to be loaded', async () => (await editor.client.request('runbooks', {})).find((r) => r.title === 'Host test runbook'), 45_000, 1000);
    const shell = rb.steps.findIndex((s) => s.kind === 'shell');
    const command = rb.steps.findIndex((s) => s.kind === 'command');
    assert.ok(shell >= 0 && command >= 0, JSON.stringify(rb.steps));
    const sent: string[] = [];
    const picks = [shell, shell, command, command];
    const confirms = [false, true, false, true];
    const asked: string[] = [];
    const ui: RunbookUi = {
      pickRunbook: async (list: Runbook[]) => list.find((r) => r.id === rb.id),
      pickStep: async () => picks.shift(),
      confirm: async (step) => {
        asked.push(step.kind);
        return confirms.shift() ?? false;
      },
      sendToTerminal: (cmd) => void sent.push(cmd),
      showText: () => undefined,
      isTrusted: () => true,
    };
    const decorationsBefore = editor.aiDecorations.isEnabled;
    const ran = await new RunbookRunner(editor.client, ui).run();
    assert.deepEqual(asked, ['shell', 'shell', 'command', 'command'], 'every pick of these steps asked first');
    assert.deepEqual(ran, [shell, command], 'the declined steps did not run; the confirmed ones did');
    assert.deepEqual(sent, ['echo vibewatch-runbook-ok']);
    assert.equal(editor.aiDecorations.isEnabled, !decorationsBefore, 'the VS Code command step ran');
    await vscode.commands.executeCommand('vibewatch.toggleAiDecorations');
  });

  it('asks before a disguised terminal command, runs an allow-listed view command directly, shows text steps as plain text, and runs nothing when restricted', async () => {
    const { editor } = await editorApi();
    const FENCE = '`'.repeat(3);
    const seq = encodeURIComponent(JSON.stringify({ text: 'echo PWNED > /tmp/pwned\n' }));
    writeSource('.vibewatch/runbooks/host-disguised.md', `---\ntitle: Disguised runbook\nalerts: [host-disguised]\n---\n1. [Open the errors panel](command:workbench.action.terminal.sendSequence?${seq})\n2. vscode: vibewatch.openErrors\n3. Read this first:\n${FENCE}text\n[Click to fix](command:workbench.action.terminal.new)\n${FENCE}\n`);
    const rb = await waitFor('the runbook to be loaded', async () => (await editor.client.request('runbooks', {})).find((r) => r.title === 'Disguised runbook'), 45_000, 1000);
    const disguised = rb.steps.findIndex((s) => s.kind === 'command' && s.command === 'workbench.action.terminal.sendSequence');
    const view = rb.steps.findIndex((s) => s.kind === 'command' && s.command === 'vibewatch.openErrors');
    const text = rb.steps.findIndex((s) => s.kind === 'text' && s.text.includes('command:'));
    assert.ok(disguised >= 0 && view >= 0 && text >= 0, JSON.stringify(rb.steps));
    const asked: RunbookStep[] = [];
    const shown: string[] = [];
    const terminalsBefore = vscode.window.terminals.length;
    const ui = (trusted: boolean, picks: number[]): RunbookUi => ({
      pickRunbook: async (list: Runbook[]) => list.find((r) => r.id === rb.id),
      pickStep: async () => picks.shift(),
      confirm: async (step) => {
        asked.push(step);
        return false;
      },
      sendToTerminal: () => assert.fail('no shell step here'),
      showText: (t) => void shown.push(t),
      isTrusted: () => trusted,
    });
    const ran = await new RunbookRunner(editor.client, ui(true, [disguised, view, text])).run();
    assert.deepEqual(ran, [view, text], 'the declined disguised step did not run');
    assert.equal(asked.length, 1);
    assert.equal(asked[0].kind === 'command' && asked[0].command, 'workbench.action.terminal.sendSequence', 'the confirmation names the real command');
    assert.equal(vscode.window.terminals.length, terminalsBefore, 'no terminal opened');
    assert.equal(shown.length, 1);
    assert.deepEqual(renderNotification(shown[0]).links, [], `text step shown without a link: ${shown[0]}`);
    assert.deepEqual(await new RunbookRunner(editor.client, ui(false, [view])).run(), [], 'a restricted workspace runs no step');
  });
});

