// The per-file cache every overlay reads: one `fileSummary` request per file that is shown,
// answered from the collector's ingest-time aggregates, kept until a `changed` event names
// the file (or a resync / reconnect invalidates everything). Line tracking per open
// document moves the cached lines with the user's edits until the next save.
import * as vscode from 'vscode';
import type { FileSummary } from '../../collector/live/protocol';
import type { CollectorClient } from '../collectorClient';
import { countNewlines, LineTracker } from './lineTracker';

export const normPath = (p: string) => p.replace(/\\/g, '/');

interface Entry {
  summary?: FileSummary;
  pending?: Promise<FileSummary | undefined>;
  /** Bumped on invalidation so a slow answer for stale data is not cached as fresh. */
  generation: number;
}

export interface FileSummariesOptions {
  log?: { warn(m: string): void };
  /** Debounce of change notifications to the overlays (collector events and edits). */
  debounceMs?: number;
}

export class FileSummaries implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly trackers = new Map<string, LineTracker>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires (debounced) when cached data or line positions changed: overlays re-render. */
  readonly onDidChange = this.emitter.event;
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly client: CollectorClient, private readonly opts: FileSummariesOptions = {}) {
    this.subs.push(
      client.onChanged((e) => {
        if (e.resync) this.invalidateAll();
        else for (const f of e.files) this.invalidate(f);
      }),
      client.onDidConnect(() => this.invalidateAll()),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidSaveTextDocument((d) => {
        const t = this.trackers.get(normPath(d.uri.fsPath));
        if (t && !t.isIdentity) {
          t.reset();
          this.invalidate(d.uri.fsPath);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.trackers.delete(normPath(d.uri.fsPath))),
      this.emitter,
    );
  }

  /** The cached summary, if any (never waits). */
  peek(file: string): FileSummary | undefined {
    return this.entries.get(normPath(file))?.summary;
  }

  /** The summary of `file`, from cache or one request; undefined when the collector cannot answer. */
  get(file: string): Promise<FileSummary | undefined> {
    const key = normPath(file);
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { generation: 0 }));
    if (e.summary) return Promise.resolve(e.summary);
    if (e.pending) return e.pending;
    const entry = e;
    const gen = entry.generation;
    entry.pending = this.client.request('fileSummary', { file }).then(
      (s) => {
        if (entry.generation === gen) entry.summary = s;
        return s;
      },
      (err: Error) => {
        // Counted and logged once per burst; overlays show nothing rather than stale numbers.
        if (this.failures++ % 50 === 0) this.opts.log?.warn(`fileSummary ${file} failed (${this.failures} so far): ${err.message}`);
        return undefined;
      },
    ).finally(() => {
      if (entry.generation === gen) entry.pending = undefined;
    });
    return entry.pending;
  }

  /** Maps a 0-based disk line of `file` to its buffer line (identity without edits). */
  lineMap(file: string): (line0: number) => number | undefined {
    const t = this.trackers.get(normPath(file));
    return t && !t.isIdentity ? (l) => t.map(l) : (l) => l;
  }

  invalidate(file: string): void {
    const e = this.entries.get(normPath(file));
    if (!e) return;
    e.generation++;
    e.summary = undefined;
    e.pending = undefined;
    this.schedule();
  }

  invalidateAll(): void {
    for (const e of this.entries.values()) {
      e.generation++;
      e.summary = undefined;
      e.pending = undefined;
    }
    this.schedule();
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.document.uri.scheme !== 'file' || e.contentChanges.length === 0) return;
    const key = normPath(e.document.uri.fsPath);
    let t = this.trackers.get(key);
    let moved = false;
    for (const c of e.contentChanges) {
      const insertedLines = countNewlines(c.text);
      if (insertedLines === 0 && c.range.start.line === c.range.end.line) continue;
      if (!t) this.trackers.set(key, (t = new LineTracker()));
      t.record({ startLine: c.range.start.line, startChar: c.range.start.character, endLine: c.range.end.line, endChar: c.range.end.character, insertedLines, endsWithNewline: c.text.endsWith('\n') });
      moved = true;
    }
    if (moved) this.schedule();
  }

  /** Notify overlays once per burst of events/edits. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire();
    }, this.opts.debounceMs ?? 100);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
    this.entries.clear();
    this.trackers.clear();
  }
}
