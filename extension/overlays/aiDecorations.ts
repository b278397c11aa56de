// A subtle mark on AI-written ranges in visible editors: a left border in the gutter area,
// a faint background and an overview-ruler tick, coloured by runtime status (unobserved /
// healthy / erroring / regressed); suspected (unconfirmed) edits are dashed. Toggled by
// vibewatch.toggleAiDecorations (and the vibewatch.aiDiffs.decorations setting).
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import type { AiIndex } from './aiIndex';
import { aiRangeStatus, type AiRuntimeStatus } from './aiStatus';
import type { FileSummaries } from './fileSummaries';
import { Coalescer } from '../coalescer';

const COLORS: Record<AiRuntimeStatus, { border: string; bg: string }> = {
  unobserved: { border: 'rgba(128,128,128,0.55)', bg: 'rgba(128,128,128,0.04)' },
  healthy: { border: 'rgba(46,160,67,0.6)', bg: 'rgba(46,160,67,0.04)' },
  erroring: { border: 'rgba(229,83,75,0.8)', bg: 'rgba(229,83,75,0.06)' },
  regressed: { border: 'rgba(212,167,44,0.8)', bg: 'rgba(212,167,44,0.06)' },
};
const STATUSES = Object.keys(COLORS) as AiRuntimeStatus[];
type Key = `${AiRuntimeStatus}:${'confirmed' | 'suspected'}`;

export class AiDecorationsController extends Disposable {
  /** One refresh per burst of events, edits and polls. */
  private readonly refresher = new Coalescer(() => this.renderAll(), 50);
  private readonly types = new Map<Key, vscode.TextEditorDecorationType>();
  private enabled: boolean;

  constructor(private readonly summaries: FileSummaries, private readonly ai: AiIndex, initiallyEnabled: boolean) {
    super();
    this.enabled = initiallyEnabled;
    for (const status of STATUSES) {
      for (const state of ['confirmed', 'suspected'] as const) {
        const c = COLORS[status];
        this.types.set(`${status}:${state}`, vscode.window.createTextEditorDecorationType({
          isWholeLine: true,
          borderWidth: '0 0 0 2px',
          borderStyle: state === 'suspected' ? 'dashed' : 'solid',
          borderColor: c.border,
          backgroundColor: c.bg,
          overviewRulerColor: c.border,
          overviewRulerLane: vscode.OverviewRulerLane.Left,
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }));
      }
    }
    this.register(
      summaries.onDidChange(() => this.schedule()),
      ai.onDidChange(() => this.schedule()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()),
    );
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    this.renderAll();
  }

  private schedule(): void {
    this.refresher.schedule();
  }

  /** What each visible editor shows, by status (tests read it; no DOM access needed). */
  readonly rendered = new Map<string, Record<string, number[]>>();

  renderAll(): void {
    this.rendered.clear();
    for (const editor of vscode.window.visibleTextEditors) void this.render(editor);
  }

  private async render(editor: vscode.TextEditor): Promise<void> {
    const file = editor.document.uri.fsPath;
    const ranges = this.enabled && editor.document.uri.scheme === 'file' ? this.ai.rangesOf(file) : [];
    const byKey = new Map<Key, vscode.Range[]>();
    if (ranges.length) {
      const summary = await this.summaries.get(file);
      const map = this.summaries.lineMap(file);
      for (const r of ranges) {
        const status = aiRangeStatus(r, summary?.lines ?? []);
        const key: Key = `${status}:${r.state === 'suspected' ? 'suspected' : 'confirmed'}`;
        const lines: number[] = [];
        for (let l = r.start - 1; l <= r.end - 1; l++) {
          const m = map(l);
          if (m !== undefined && m < editor.document.lineCount) lines.push(m);
        }
        if (!lines.length) continue;
        let list = byKey.get(key);
        if (!list) byKey.set(key, (list = []));
        list.push(new vscode.Range(Math.min(...lines), 0, Math.max(...lines), 0));
      }
    }
    const record: Record<string, number[]> = {};
    for (const [key, type] of this.types) {
      const list = byKey.get(key) ?? [];
      editor.setDecorations(type, list);
      if (list.length) record[key] = list.map((r) => r.start.line);
    }
    this.rendered.set(file, record);
  }

  override dispose(): void {
    this.refresher.dispose();
    super.dispose();
    for (const t of this.types.values()) t.dispose();
  }
}
