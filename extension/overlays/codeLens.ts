// The CodeLens controller: lenses only where the collector has data for a line, computed by
// buildLenses from the cached file summary (one request per file, no SQL), re-requested
// when the cache or the AI ranges change (debounced by FileSummaries) or the setting flips.
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import type { AiIndex } from './aiIndex';
import type { FileSummaries } from './fileSummaries';
import { buildLenses, teamLenses } from './lensModel';
import type { TeamSummaries } from './teamSummaries';

export class CodeLensController extends Disposable implements vscode.CodeLensProvider {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  constructor(
    private readonly summaries: FileSummaries,
    private readonly ai: AiIndex,
    private readonly enabled: () => boolean,
    private readonly now: () => number = Date.now,
    private readonly team?: TeamSummaries,
    /** Which lenses to show (the `vibewatch.team.show` switch and whether a team is set). */
    private readonly sources: () => { local: boolean; production: boolean } = () => ({ local: true, production: true }),
  ) {
    super();
    if (team) this.register(team.onDidChange(() => this.changeEmitter.fire()));
    this.register(
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      summaries.onDidChange(() => this.changeEmitter.fire()),
      ai.onDidChange(() => this.changeEmitter.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vibewatch.codeLens.enabled') || e.affectsConfiguration('vibewatch.team.show')) this.changeEmitter.fire();
      }),
      this.changeEmitter,
    );
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.enabled()) return [];
    const file = document.uri.fsPath;
    const show = this.sources();
    const [summary, production] = await Promise.all([show.local ? this.summaries.get(file) : undefined, show.production ? this.team?.get(file) : undefined]);
    if (token.isCancellationRequested) return [];
    const map = this.summaries.lineMap(file);
    const specs = [
      ...(summary?.lines.length ? buildLenses(file, summary.lines, this.ai.rangesOf(file), this.now(), map) : []),
      ...(production?.lines.length ? teamLenses(production.lines, production.revision, map) : []),
    ];
    const lastLine = document.lineCount - 1;
    return specs
      .filter((s) => s.line <= lastLine)
      .map((s) => new vscode.CodeLens(new vscode.Range(s.line, 0, s.line, 0), { title: s.title, tooltip: s.tooltip, command: s.command, arguments: s.args }));
  }

}
