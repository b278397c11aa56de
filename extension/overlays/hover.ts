// Hovers on lines with telemetry: the numbers, a text sparkline of calls per minute, the
// latest trace ids as command links, and the AI diff that wrote the line. Answers from the
// cached summary only (never a request on hover: a hover must be instant).
import * as vscode from 'vscode';
import type { AiIndex } from './aiIndex';
import type { FileSummaries } from './fileSummaries';
import { HOVER_COMMANDS, hoverMarkdown } from './hoverModel';

export class HoverController implements vscode.HoverProvider, vscode.Disposable {
  private readonly reg: vscode.Disposable;

  constructor(private readonly summaries: FileSummaries, private readonly ai: AiIndex, private readonly now: () => number = Date.now) {
    this.reg = vscode.languages.registerHoverProvider({ scheme: 'file' }, this);
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const file = document.uri.fsPath;
    // A hover on a file the lens provider has not fetched yet (rare) waits for one request.
    const summary = await this.summaries.get(file);
    const map = this.summaries.lineMap(file);
    const stats = (summary?.lines ?? []).filter((s) => map(s.line - 1) === position.line);
    // The AI range covering this line (ranges are in disk coordinates, like the stats).
    const diskLine = stats[0]?.line ?? this.diskLineOf(map, position.line);
    const ai = diskLine === undefined ? [] : this.ai.rangesOf(file).filter((r) => r.start <= diskLine && diskLine <= r.end);
    if (stats.length === 0 && ai.length === 0) return undefined;
    const md = hoverMarkdown(file, stats, ai, this.now());
    if (!md) return undefined;
    const ms = new vscode.MarkdownString(md, true);
    ms.isTrusted = { enabledCommands: HOVER_COMMANDS };
    return new vscode.Hover(ms, document.lineAt(position.line).range);
  }

  /** Inverse of the line map near `line` (identity when the file is unedited). */
  private diskLineOf(map: (l: number) => number | undefined, line: number): number | undefined {
    if (map(line) === line) return line + 1;
    for (let d = 1; d < 200; d++) {
      if (map(line - d) === line) return line - d + 1;
      if (map(line + d) === line) return line + d + 1;
    }
    return undefined;
  }

  dispose(): void {
    this.reg.dispose();
  }
}
