// AI diffs in the editor: marking a selection records a manual AI diff in the collector's
// ledger, the AI lens and the gutter decoration appear over lines with telemetry, and an
// insertion of several lines that is not a paste is captured as a suspected AI edit.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { editorApi, lensesOf, sendSpans, waitFor, writeSource } from './hostHelpers';

describe('AI diffs in the editor (in the extension host)', function () {
  this.timeout(90_000);

  it('marks a selection as AI-generated: an AI lens with an honest before/after and a decoration', async () => {
    const { editor } = await editorApi();
    const file = writeSource('src/aiMarked.ts', 'export function price(items: number[]) {\n  let t = 0;\n  for (const i of items) t += i;\n  return t;\n}\n');
    await sendSpans(Array.from({ length: 3 }, () => ({ name: 'price', file, line: 1, durationMs: 4 })));
    const uri = vscode.Uri.file(file);
    const ed = await vscode.window.showTextDocument(uri);
    ed.selection = new vscode.Selection(0, 0, 4, 1);
    assert.equal(await vscode.commands.executeCommand('vibewatch.markAiSelection'), true);
    const ai = await waitFor('the AI lens', async () => (await lensesOf(uri)).find((l) => /^AI diff/.test(l.title)), 15_000);
    assert.equal(ai.line, 0);
    assert.match(ai.title, /^AI diff \(AI, just now\) · not enough data for before\/after$/);
    await waitFor('the healthy AI decoration', () => {
      const r = editor.aiDecorations.rendered.get(file);
      return r && r['healthy:confirmed']?.includes(0) ? r : undefined;
    }, 5000);
    // Toggling hides the decorations.
    assert.equal(await vscode.commands.executeCommand('vibewatch.toggleAiDecorations'), false);
    assert.deepEqual(editor.aiDecorations.rendered.get(file), {});
    await vscode.commands.executeCommand('vibewatch.toggleAiDecorations');
    // Unmarking removes the AI lens.
    ed.selection = new vscode.Selection(0, 0, 4, 1);
    assert.equal(await vscode.commands.executeCommand('vibewatch.unmarkAiSelection'), true);
    await waitFor('the AI lens to go', async () => !(await lensesOf(uri)).some((l) => /^AI diff/.test(l.title)) || undefined, 10_000);
  });

  it('records one multi-line insertion that is not the clipboard as a suspected AI edit', async () => {
    const { editor } = await editorApi();
    const file = writeSource('src/aiSuspect.ts', 'export const a = 1;\n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    await vscode.env.clipboard.writeText('not what gets inserted');
    const before = editor.capture.recorded.length;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(1, 0), 'export function tax(x: number) {\n  const rate = 0.2;\n  return x * rate;\n}\n');
    await vscode.workspace.applyEdit(edit);
    // The ledger tracks ranges against the file on disk: the edit is recorded when it is saved.
    await waitFor('the insertion to be held until saved', () => editor.capture.pendingCount(uri) === 1 || undefined, 5000);
    await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.save();
    const rec = await waitFor('a suspected edit', () => editor.capture.recorded.slice(before).find((r) => r.file === file), 5000);
    assert.deepEqual([rec.start, rec.end], [2, 5]);
    await waitFor('the suspected range in the AI index', () => editor.ai.rangesOf(file).find((r) => r.state === 'suspected' && r.start === 2 && r.end === 5), 10_000);
    // A paste of the clipboard is not captured.
    const pasted = 'export function p() {\n  return 1;\n}\n';
    await vscode.env.clipboard.writeText(pasted);
    const n = editor.capture.recorded.length;
    const paste = new vscode.WorkspaceEdit();
    paste.insert(uri, new vscode.Position(0, 0), pasted);
    await vscode.workspace.applyEdit(paste);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(editor.capture.pendingCount(uri), 0);
    assert.equal(editor.capture.recorded.length, n);
    await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.save();
  });
});
