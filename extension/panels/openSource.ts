// A panel's "Open source" (the webview's `openSource` message): opens the file at the line only
// when it lies inside a workspace folder (sourceLocation.ts); anything else is refused, logged
// and told to the user with fixed text.
import * as vscode from 'vscode';
import type { OpenLocation } from '../../webview/protocol';
import { plainText } from '../../collector/text/sinkText';
import { realPathInWorkspace } from './sourceLocation';

/** Resolves with the path opened, or undefined when the location was refused. */
export async function openSourceInWorkspace(loc: OpenLocation, log: (m: string) => void): Promise<string | undefined> {
  const file = await realPathInWorkspace(loc.file, (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
  if (!file) {
    log(`open source refused: ${plainText(loc.file, 300)} is not a file inside a workspace folder`);
    void vscode.window.showWarningMessage('Vibewatch opens source files inside the workspace folders only.');
    return undefined;
  }
  const line = Number.isFinite(loc.line) ? loc.line : 1;
  const column = Number.isFinite(loc.column) ? (loc.column ?? 1) : 1;
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
  return file;
}
