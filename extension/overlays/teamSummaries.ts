// Production figures per file from the team collector, through this machine's collector
// (`teamFileSummary`: lines already mapped onto the working copy). Only asked when
// `vibewatch.team.url` is set; kept for `ttlMs` (production telemetry does not arrive as this
// collector's `changed` events) and dropped on reconnect. Never throws: an older collector or
// an unreachable team collector means no production lenses, not an error.
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import type { TeamFileSummary } from '../../collector/live/protocol';
import type { RepoAiDiff } from '../../collector/model/teamQueries';
import type { CollectorClient } from '../collectorClient';
import { normPath } from './fileSummaries';

export class TeamSummaries extends Disposable {
  private readonly cache = new Map<string, { at: number; value: Promise<TeamFileSummary | undefined> }>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly client: CollectorClient,
    private readonly enabled: () => boolean,
    /** How long an answer is kept; the AI Diffs view asks again at this interval. */
    readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.register(
      client.onDidConnect(() => this.invalidate()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vibewatch.team.url') || e.affectsConfiguration('vibewatch.team.show')) this.invalidate();
      }),
      this.emitter,
    );
  }

  private aiCache: { at: number; value: Promise<Map<string, RepoAiDiff>> } | undefined;

  /** The team collector's AI diffs by full commit SHA (empty when team mode is off or the
   *  team collector does not answer), kept like the file figures. */
  aiDiffsByCommit(): Promise<Map<string, RepoAiDiff>> {
    if (!this.enabled()) return Promise.resolve(new Map());
    if (this.aiCache && this.now() - this.aiCache.at < this.ttlMs) return this.aiCache.value;
    const value = this.client.request('teamAiDiffs', {}).then(
      (r) => {
        if (r.unavailable) this.aiCache = undefined;
        return new Map(r.diffs.map((d) => [d.commit, d]));
      },
      () => {
        this.aiCache = undefined;
        return new Map<string, RepoAiDiff>();
      },
    );
    this.aiCache = { at: this.now(), value };
    return value;
  }

  /** Forgets the AI diffs only, so the next `aiDiffsByCommit()` asks the team collector
   *  (the AI Diffs view's timer); fires nothing: the lenses keep their figures. */
  expireAiDiffs(): void {
    this.aiCache = undefined;
  }

  invalidate(): void {
    this.aiCache = undefined;
    this.cache.clear();
    this.emitter.fire();
  }

  get(file: string): Promise<TeamFileSummary | undefined> {
    if (!this.enabled()) return Promise.resolve(undefined);
    const key = normPath(file);
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.client.request('teamFileSummary', { file }).then(
      // Not configured on the collector side, or not connected: nothing yet; ask again soon.
      (s) => (s.unavailable ? (this.cache.delete(key), undefined) : s),
      // An older collector (unknown_method) or a failed request: no production lenses;
      // asked again at the next look.
      () => {
        this.cache.delete(key);
        return undefined;
      },
    );
    this.cache.set(key, { at: this.now(), value });
    return value;
  }
}
