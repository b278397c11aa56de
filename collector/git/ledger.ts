// The AI-diff ledger: every known AI change with its current line ranges, persisted through
// the store's small state interface and exportable as JSON lines for a team to share.
// Contract: entries are never deleted by tracking; lines that disappear move to
// `removedRanges`. Only `unmark` and `importJsonl` change what the user decided.
import { randomUUID } from 'node:crypto';
import { hashLines, splitLines } from './hash';
import { refindByHash, trackRanges } from './lineTracking';
import type { AiDiff, AiDiffFile, LineRange } from './types';
import type { DurableState } from '../store/api';

export interface RangeInput {
  /** Path relative to the repository root (or absolute inside it). */
  file: string;
  startLine: number;
  endLine: number;
  /** The lines' text, for the content hash. */
  text: string;
  tool?: string;
  model?: string;
  timeMs?: number;
}

export class AiDiffLedger {
  private diffs = new Map<string, AiDiff>();
  private loaded = false;
  private lastSaved?: string;

  /** `relativize` turns a user-given path into the ledger's repository-relative form. */
  constructor(
    private readonly state: DurableState,
    private readonly key: string,
    private readonly relativize: (path: string) => string = (p) => p,
    private readonly now: () => number = Date.now,
    /** Called after a save that changed what is stored (clients refetch AI diffs then). */
    private readonly onSaved?: () => void,
  ) {}

  async load(): Promise<void> {
    if (this.loaded) return;
    const saved = await this.state.getState<AiDiff[]>(this.key);
    this.diffs = new Map((saved ?? []).map((d) => [d.id, d]));
    this.lastSaved = saved ? JSON.stringify(this.list()) : undefined;
    this.loaded = true;
  }

  /** Writes the ledger when it differs from what was last written (refreshes are frequent). */
  async save(): Promise<void> {
    const list = this.list();
    const text = JSON.stringify(list);
    if (text === this.lastSaved) return;
    await this.state.putState(this.key, list);
    this.lastSaved = text;
    this.onSaved?.();
  }

  list(): AiDiff[] {
    return [...this.diffs.values()].sort((a, b) => b.timeMs - a.timeMs || a.id.localeCompare(b.id));
  }

  get(id: string): AiDiff | undefined {
    return this.diffs.get(id);
  }

  /** Diffs with a live range covering `line` of `path` (dismissed ones excluded). */
  at(path: string, line: number): AiDiff[] {
    const rel = this.relativize(path);
    return this.list().filter((d) => d.state !== 'dismissed' && d.files.some((f) => f.path === rel && f.ranges.some((r) => r.start <= line && line <= r.end)));
  }

  /** Adds or replaces a diff. A replaced diff keeps the user's decision (confirm/dismiss). */
  put(d: AiDiff): void {
    const old = this.diffs.get(d.id);
    if (old && old.state !== d.state && (old.confirmedBy === 'user' || old.state === 'dismissed')) {
      d = { ...d, state: old.state, confirmedBy: old.confirmedBy };
    }
    this.diffs.set(d.id, d);
  }

  remove(id: string): boolean {
    return this.diffs.delete(id);
  }

  async add(d: AiDiff): Promise<AiDiff> {
    this.put(d);
    await this.save();
    return this.diffs.get(d.id)!;
  }

  /** Editor capture: a multi-line insertion that was neither typed nor pasted. */
  recordSuspected(r: RangeInput): Promise<AiDiff> {
    return this.add(this.fromRange(r, 'editor', 'suspected', 'editor: multi-line insert'));
  }

  /** Manual "Mark Selection as AI-Generated". */
  mark(r: RangeInput): Promise<AiDiff> {
    return this.add(this.fromRange(r, 'manual', 'confirmed', 'user'));
  }

  async confirm(id: string, by = 'user'): Promise<AiDiff> {
    return this.setState(id, 'confirmed', by);
  }

  async dismiss(id: string, by = 'user'): Promise<AiDiff> {
    return this.setState(id, 'dismissed', by);
  }

  /** "Unmark": cuts lines start..end of `path` out of every diff; a diff left without
   *  ranges is dismissed (kept, so a later git scan does not bring it back). */
  async unmark(path: string, startLine: number, endLine: number): Promise<number> {
    const rel = this.relativize(path);
    let touched = 0;
    for (const d of this.diffs.values()) {
      let changed = false;
      for (const f of d.files) {
        if (f.path !== rel) continue;
        const next: LineRange[] = [];
        for (const r of f.ranges) {
          if (r.end < startLine || r.start > endLine) { next.push(r); continue; }
          changed = true;
          // The hash of a cut piece is unknown without the text: marked empty until refreshed.
          if (r.start < startLine) next.push({ start: r.start, end: startLine - 1, hash: '' });
          if (r.end > endLine) next.push({ start: endLine + 1, end: r.end, hash: '' });
        }
        f.ranges = next;
        // The user's cut is in today's coordinates: stop re-deriving this file from the commit.
        delete f.origin;
        delete f.anchor;
      }
      if (!changed) continue;
      touched++;
      if (d.files.every((f) => f.ranges.length === 0)) {
        d.state = 'dismissed';
        d.confirmedBy = 'user';
      }
    }
    if (touched) await this.save();
    return touched;
  }

  /** The editor saw `path` change from `oldText` to `newText`: live ranges follow it.
   *  Commit-anchored files are re-derived from their origin instead (see aiDiffService). */
  async applyEdit(path: string, oldText: string, newText: string): Promise<void> {
    const rel = this.relativize(path);
    let changed = false;
    for (const d of this.diffs.values()) {
      for (const f of d.files) {
        if (f.path !== rel || f.origin) continue;
        const t = trackRanges(oldText, newText, f.ranges);
        this.setRanges(d, f, t.ranges, t.removed);
        changed = true;
      }
    }
    if (changed) await this.save();
  }

  /** Without the old text (e.g. after a restart): re-find live ranges by content hash. */
  reconcileLive(path: string, currentText: string): boolean {
    const rel = this.relativize(path);
    const lines = splitLines(currentText);
    let changed = false;
    for (const d of this.diffs.values()) {
      for (const f of d.files) {
        if (f.path !== rel || f.origin) continue;
        const kept: LineRange[] = [];
        const gone: LineRange[] = [];
        for (const r of f.ranges) {
          const found = r.hash ? refindByHash(r, lines) : { ...r, hash: hashLines(lines.slice(r.start - 1, r.end)) };
          if (found) kept.push(found);
          else gone.push(r);
          if (!found || found.start !== r.start || found.hash !== r.hash) changed = true;
        }
        this.setRanges(d, f, kept, gone);
      }
    }
    return changed;
  }

  setRanges(d: AiDiff, f: AiDiffFile, ranges: LineRange[], removed: LineRange[]): void {
    f.ranges = ranges;
    const others = (d.removedRanges ?? []).filter((r) => r.path !== f.path || !removed.some((x) => x.hash === r.hash && x.start === r.start));
    const all = [...others, ...removed.map((r) => ({ ...r, path: f.path }))];
    if (all.length) d.removedRanges = all;
    else delete d.removedRanges;
  }

  exportJsonl(): string {
    return this.list().map((d) => JSON.stringify(d)).join('\n') + (this.diffs.size ? '\n' : '');
  }

  /** Merges JSON lines into the ledger; returns how many entries were read. Bad lines throw
   *  with their line number, and nothing is merged. */
  async importJsonl(text: string): Promise<number> {
    const parsed: AiDiff[] = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch (err) {
        throw new Error(`ai-diffs.jsonl line ${i + 1}: ${(err as Error).message}`);
      }
      if (!isAiDiff(v)) throw new Error(`ai-diffs.jsonl line ${i + 1}: not an AI diff`);
      parsed.push(v);
    });
    for (const d of parsed) this.put(d);
    if (parsed.length) await this.save();
    return parsed.length;
  }

  private async setState(id: string, state: AiDiff['state'], by: string): Promise<AiDiff> {
    const d = this.diffs.get(id);
    if (!d) throw new Error(`no AI diff ${id}`);
    d.state = state;
    d.confirmedBy = by;
    await this.save();
    return d;
  }

  private fromRange(r: RangeInput, source: 'editor' | 'manual', state: AiDiff['state'], by: string): AiDiff {
    const lines = splitLines(r.text);
    return {
      id: `${source === 'editor' ? 'e' : 'm'}:${randomUUID()}`,
      source,
      ...(r.tool ? { tool: r.tool } : {}),
      ...(r.model ? { model: r.model } : {}),
      files: [{ path: this.relativize(r.file), ranges: [{ start: r.startLine, end: r.endLine, hash: hashLines(lines) }] }],
      timeMs: r.timeMs ?? this.now(),
      confirmedBy: by,
      state,
    };
  }
}

const SOURCES = new Set(['trailer', 'author', 'hook', 'agent-trace', 'editor', 'manual']);
const STATES = new Set(['confirmed', 'suspected', 'dismissed']);

export function isAiDiff(v: unknown): v is AiDiff {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Partial<AiDiff>;
  return (
    typeof d.id === 'string' && SOURCES.has(d.source as string) && STATES.has(d.state as string) &&
    typeof d.timeMs === 'number' && typeof d.confirmedBy === 'string' && Array.isArray(d.files) &&
    d.files.every((f) => typeof f?.path === 'string' && Array.isArray(f.ranges) &&
      f.ranges.every((r) => Number.isInteger(r?.start) && Number.isInteger(r?.end) && typeof r?.hash === 'string'))
  );
}
