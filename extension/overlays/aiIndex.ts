// AI-written ranges per workspace file, from the collector's AI-diff ledger (`aiDiffs` per
// workspace folder). Refreshed on (re)connect, on `changed` events with the `aiDiffs` topic,
// and after the user marks/unmarks/confirms; read synchronously by the overlays.
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import type { AiDiffsResult, AiDiffView } from '../../collector/git/types';
import type { CollectorClient } from '../collectorClient';
import { isUnknownMethod } from '../client/editorQueries';
import type { AiRangeInfo } from './lensModel';
import { normPath } from './fileSummaries';
import { indexRanges } from './aiRanges';
import { Coalescer } from '../coalescer';

export class AiIndex extends Disposable {
  /** One refresh per burst of events, edits and polls. */
  private readonly refresher = new Coalescer(() => void this.refresh());
  private byFile = new Map<string, AiRangeInfo[]>();
  private results: AiDiffsResult[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private unsupportedLogged = false;
  private running: Promise<void> | undefined;

  constructor(private readonly client: CollectorClient, private readonly log?: { warn(m: string): void }, private readonly folders = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)) {
    super();
    this.register(
      client.onDidConnect(() => {
        this.unsupportedLogged = false;
        this.schedule(0);
      }),
      // Runtime numbers and risk of each diff move with new spans: refetch, at most every 2 s.
      client.onChanged((e) => {
        if (e.resync || e.topics.includes('aiDiffs')) this.schedule(250);
        else if (e.topics.includes('spans')) this.schedule(2000);
      }),
      this.emitter,
    );
  }

  /** Ranges of `file` (absolute path), in disk coordinates. */
  rangesOf(file: string): AiRangeInfo[] {
    return this.byFile.get(normPath(file)) ?? [];
  }

  /** Every diff the collector reported, with the repository root it is relative to. */
  diffs(): { root: string; diff: AiDiffView }[] {
    return this.results.flatMap((r) => r.diffs.map((diff) => ({ root: r.root ?? r.workspace, diff })));
  }

  schedule(delayMs: number): void {
    this.refresher.schedule(delayMs);
  }

  async refresh(): Promise<void> {
    if (this.running) await this.running;
    this.running = this.load().finally(() => (this.running = undefined));
    return this.running;
  }

  private async load(): Promise<void> {
    const results: AiDiffsResult[] = [];
    for (const workspace of this.folders()) {
      try {
        results.push(await this.client.request('aiDiffs', { workspace }));
      } catch (err) {
        if (isUnknownMethod(err)) {
          if (!this.unsupportedLogged) this.log?.warn('the collector does not answer aiDiffs yet; no AI ranges shown');
          this.unsupportedLogged = true;
        } else this.log?.warn(`aiDiffs ${workspace} failed: ${(err as Error).message}`);
        return; // keep what we had rather than blanking the decorations on a hiccup
      }
    }
    this.results = results;
    this.byFile = indexRanges(results);
    this.emitter.fire();
  }

  override dispose(): void {
    this.refresher.dispose();
    super.dispose();
  }
}
