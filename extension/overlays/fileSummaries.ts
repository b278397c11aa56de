// The per-file cache every overlay reads: one `fileSummary` request per file that is shown,
// answered from the collector's ingest-time aggregates, kept until a `changed` event names
// the file (or a resync / reconnect invalidates everything). Line tracking per open
// document moves the cached lines with the user's edits until the next save.
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import type { FileSummary } from '../../collector/live/protocol';
import type { CollectorClient } from '../collectorClient';
import { countNewlines, LineTracker } from './lineTracker';
import { Coalescer } from '../coalescer';

export const normPath = (p: string) => p.replace(/\\/g, '/');

interface Entry {
  /** The path as the overlays asked for it (the request's `file`). */
  file: string;
  summary?: FileSummary;
  /** A `changed` event named the file: `summary` is still shown until the refetch answers. */
  stale: boolean;
  pending?: Promise<FileSummary | undefined>;
  /** Bumped on invalidation so a slow answer for older data is not taken as current. */
  generation: number;
}

export interface FileSummariesOptions {
  log?: { warn(m: string): void };
  /** Debounce of change notifications to the overlays (collector events and edits). */
  debounceMs?: number;
}

export class FileSummaries extends Disposable {
  /** One refresh per burst of events, edits and polls. */
  private readonly refresher = new Coalescer(() => this.emitter.fire());
  private readonly entries = new Map<string, Entry>();
  private readonly trackers = new Map<string, LineTracker>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires (debounced) when cached data or line positions changed: overlays re-render. */
  readonly onDidChange = this.emitter.event;
  private failures = 0;

  constructor(private readonly client: CollectorClient, private readonly opts: FileSummariesOptions = {}) {
    super();
    this.register(
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

  /** The cached summary, if any, possibly stale while a refetch runs (never waits). */
  peek(file: string): FileSummary | undefined {
    return this.entries.get(normPath(file))?.summary;
  }

  /**
   * The summary of `file`: the cached one (a stale one is returned at once while it is
   * refetched, so overlays never blank out), else one request. Undefined when the
   * collector cannot answer and nothing is cached.
   */
  get(file: string): Promise<FileSummary | undefined> {
    const key = normPath(file);
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { file, stale: false, generation: 0 }));
    if (e.summary) {
      if (e.stale) void this.fetch(file, e);
      return Promise.resolve(e.summary);
    }
    return this.fetch(file, e);
  }

  private fetch(file: string, entry: Entry): Promise<FileSummary | undefined> {
    if (entry.pending) return entry.pending;
    const gen = entry.generation;
    const hadSummary = entry.summary !== undefined;
    entry.pending = this.client.request('fileSummary', { file }).then(
      (s) => {
        if (entry.generation === gen) {
          entry.summary = s;
          entry.stale = false;
        }
        // Overlays that rendered the stale summary re-render with this one.
        if (hadSummary) this.schedule();
        return s;
      },
      (err: Error) => {
        // Counted and logged once per burst; a stale summary stays shown until the collector is back.
        if (this.failures++ % 50 === 0) this.opts.log?.warn(`fileSummary ${file} failed (${this.failures} so far): ${err.message}`);
        return entry.summary;
      },
    ).finally(() => {
      entry.pending = undefined;
      // Invalidated while the request was in flight: fetch again for the newer data.
      if (entry.generation !== gen && this.isOpen(file)) void this.fetch(entry.file, entry);
    });
    return entry.pending;
  }

  private isOpen(file: string): boolean {
    const key = normPath(file);
    return vscode.workspace.textDocuments.some((d) => normPath(d.uri.fsPath) === key);
  }

  /** Maps a 0-based disk line of `file` to its buffer line (identity without edits). */
  lineMap(file: string): (line0: number) => number | undefined {
    const t = this.trackers.get(normPath(file));
    return t && !t.isIdentity ? (l) => t.map(l) : (l) => l;
  }

  /** New data for `file`: refetch it now if it is open (else drop it; it is fetched when shown). */
  invalidate(file: string): void {
    const key = normPath(file);
    const e = this.entries.get(key);
    if (!e) return;
    e.generation++;
    if (!this.isOpen(file)) {
      this.entries.delete(key);
      return;
    }
    e.stale = true;
    void this.fetch(e.file, e);
  }

  invalidateAll(): void {
    for (const [key, e] of [...this.entries]) {
      e.generation++;
      if (!this.isOpen(key)) this.entries.delete(key);
      else {
        e.stale = true;
        void this.fetch(e.file, e);
      }
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

  schedule(): void {
    this.refresher.schedule(this.opts.debounceMs ?? 100);
  }

  override dispose(): void {
    this.refresher.dispose();
    super.dispose();
    this.entries.clear();
    this.trackers.clear();
  }
}
