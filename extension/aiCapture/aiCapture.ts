// Editor capture of suspected AI edits and the manual mark/unmark commands. A suspected edit
// goes to the collector's AI-diff ledger as `suspected` (shown dashed and labelled as such)
// until the user confirms or dismisses it.
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import type { CollectorClient } from '../collectorClient';
import { isUnknownMethod } from '../client/editorQueries';
import { insertedRange, isSuspectedAiInsertion } from './suspect';
import { notificationText } from '../../collector/text/sinkText';

export const MIN_SUSPECT_LINES = 3;

export interface AiCaptureDeps {
  client: CollectorClient;
  enabled: () => boolean;
  /** Called after the ledger changed (the AI index refetches). */
  onLedgerChanged: () => void;
  log?: { info(m: string): void; warn(m: string): void };
}

export class AiCapture extends Disposable {
  /** Suspected edits recorded in this session (tests read it). */
  readonly recorded: { file: string; start: number; end: number }[] = [];

  /** Suspected insertions in unsaved buffers, recorded when the file is saved: the ledger
   *  tracks ranges against the file on disk, where unsaved lines do not exist yet. */
  private readonly pending = new Map<string, { workspace: string; text: string }[]>();

  constructor(private readonly d: AiCaptureDeps) {
    super();
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => void this.onChange(e)),
      vscode.workspace.onDidSaveTextDocument((doc) => void this.flushPending(doc)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.pending.delete(doc.uri.toString())),
    );
  }

  private async flushPending(doc: vscode.TextDocument): Promise<void> {
    const list = this.pending.get(doc.uri.toString());
    if (!list) return;
    this.pending.delete(doc.uri.toString());
    const content = doc.getText().replace(/\r\n/g, '\n');
    for (const p of list) {
      // Re-find the inserted block where it is now; edited since, it is no longer the AI's text.
      const at = content.indexOf(p.text);
      if (at < 0) {
        this.d.log?.info(`suspected AI edit in ${vscode.workspace.asRelativePath(doc.uri)} was changed before saving; not recorded`);
        continue;
      }
      const start = countLines(content.slice(0, at)) + 1;
      await this.record(p.workspace, doc.uri.fsPath, start, start + countLines(p.text), p.text);
    }
  }

  private async record(workspace: string, file: string, start: number, end: number, text: string): Promise<void> {
    try {
      await this.d.client.request('aiDiffEdit', { op: 'recordSuspected', workspace, file, startLine: start, endLine: end, text });
      this.recorded.push({ file, start, end });
      this.d.log?.info(`suspected AI edit: ${vscode.workspace.asRelativePath(file)}:${start}-${end}`);
      this.d.onLedgerChanged();
    } catch (err) {
      this.d.log?.warn(`could not record a suspected AI edit: ${(err as Error).message}`);
    }
  }

  private async onChange(e: vscode.TextDocumentChangeEvent): Promise<void> {
    if (!this.d.enabled() || e.document.uri.scheme !== 'file' || e.contentChanges.length !== 1) return;
    const c = e.contentChanges[0];
    if (!c.text.includes('\n')) return; // cheap exit for typing, before reading the clipboard
    const folder = vscode.workspace.getWorkspaceFolder(e.document.uri);
    if (!folder) return;
    let clipboard: string | undefined;
    try {
      clipboard = await vscode.env.clipboard.readText();
    } catch (err) {
      this.d.log?.warn(`clipboard unreadable; treating the change as not a paste: ${(err as Error).message}`);
    }
    const facts = {
      changeCount: 1,
      text: c.text,
      replacedLines: c.range.end.line - c.range.start.line,
      isUndoRedo: e.reason === vscode.TextDocumentChangeReason.Undo || e.reason === vscode.TextDocumentChangeReason.Redo,
      clipboard,
      minLines: MIN_SUSPECT_LINES,
    };
    if (!isSuspectedAiInsertion(facts)) return;
    const r = insertedRange(c.range.start.line, c.range.start.character, c.text);
    const text = linesOf(e.document, r.start, r.end);
    if (e.document.isDirty) {
      const key = e.document.uri.toString();
      this.pending.set(key, [...(this.pending.get(key) ?? []), { workspace: folder.uri.fsPath, text }]);
      return;
    }
    await this.record(folder.uri.fsPath, e.document.uri.fsPath, r.start, r.end, text);
  }

  /** Suspected insertions waiting for their file to be saved (tests read it). */
  pendingCount(file: vscode.Uri): number {
    return this.pending.get(file.toString())?.length ?? 0;
  }

  /** vibewatch.markAiSelection: the selected lines become a confirmed (manual) AI diff. */
  async markSelection(editor = vscode.window.activeTextEditor, tool?: string): Promise<boolean> {
    const target = selectionTarget(editor);
    if (!target) return false;
    try {
      await this.d.client.request('aiDiffEdit', { op: 'mark', ...target, text: linesOf(editor!.document, target.startLine, target.endLine), tool });
    } catch (err) {
      return this.fail('mark', err);
    }
    this.d.onLedgerChanged();
    void vscode.window.setStatusBarMessage(`Vibewatch: lines ${target.startLine}–${target.endLine} marked as AI-generated`, 3000);
    return true;
  }

  /** vibewatch.unmarkAiSelection: the selected lines are no longer AI ranges. */
  async unmarkSelection(editor = vscode.window.activeTextEditor): Promise<boolean> {
    const target = selectionTarget(editor);
    if (!target) return false;
    try {
      await this.d.client.request('aiDiffEdit', { op: 'unmark', ...target });
    } catch (err) {
      return this.fail('unmark', err);
    }
    this.d.onLedgerChanged();
    return true;
  }

  async decide(id: string, decision: 'confirm' | 'dismiss', workspace?: string): Promise<boolean> {
    const ws = workspace ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!ws) return false;
    try {
      await this.d.client.request('aiDiffEdit', { op: decision, workspace: ws, id });
    } catch (err) {
      return this.fail(decision, err);
    }
    this.d.onLedgerChanged();
    return true;
  }

  private fail(what: string, err: unknown): false {
    const stale = (err as { code?: string })?.code === 'not_found';
    // A stale id (the ledger changed since the view was drawn): refresh so the view is true again.
    if (stale) this.d.onLedgerChanged();
    const msg = isUnknownMethod(err)
      ? 'the running collector does not support AI-diff edits yet'
      : stale ? 'that AI range is no longer in the ledger (the AI Diffs view is refreshed)' : (err as Error).message;
    this.d.log?.warn(`${what} AI range failed: ${msg}`);
    void vscode.window.showErrorMessage(`Vibewatch: could not ${what} the AI range: ${notificationText(msg)}`);
    return false;
  }

}

function selectionTarget(editor: vscode.TextEditor | undefined): { workspace: string; file: string; startLine: number; endLine: number } | undefined {
  if (!editor || editor.document.uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
  if (!folder) {
    void vscode.window.showWarningMessage('Vibewatch: AI ranges are kept for files inside a workspace folder.');
    return undefined;
  }
  const sel = editor.selection;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  return { workspace: folder.uri.fsPath, file: editor.document.uri.fsPath, startLine: sel.start.line + 1, endLine: endLine + 1 };
}

/** Line breaks in `s` (the number of lines a block spans, minus one). */
function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function linesOf(doc: vscode.TextDocument, start: number, end: number): string {
  const last = Math.min(end, doc.lineCount);
  const out: string[] = [];
  for (let l = start; l <= last; l++) out.push(doc.lineAt(l - 1).text);
  return out.join('\n');
}
