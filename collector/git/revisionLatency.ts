// Latency and errors per code location *per running revision*, kept at ingest, so an AI
// diff can be compared before and after it shipped ("p95 ↑ 4.1× since abc1234 (AI diff)").
// A processor fed after source mapping and line remapping: locations are today's lines.
// Bounded: at most `maxLocations` locations × `maxRevisions` revisions each (oldest
// revision dropped first); the whole table is saved through the state interface.
// Two roles are kept apart: a unit's own spans (the function's span) and the queries it
// issues (client / database spans), so an N+1 added to a function never dilutes the
// function's latency; it is counted as what it is (see diffMeasure.ts).
import { countedLocation, isErrorSpan } from '../model/spanOutcome';
import { LogHistogram, type HistogramJson } from '../model/histogram';
import { durationMs } from '../model/time';
import { SpanKind, type Span } from '../model/types';
import type { Processor } from '../pipeline';
import { compareBeforeAfter, mergeSamples, type BeforeAfter, type RevisionSamples } from './beforeAfter';
import type { Git } from './git';
import type { AiDiff, LineRange } from './types';

interface Cell {
  hist: LogHistogram;
  calls: number;
  errors: number;
  lastMs: number;
}

/** `own`: spans of the code at that location; `query`: client/database spans issued there. */
export type SpanRole = 'own' | 'query';

interface Saved {
  v: 1;
  rows: { file: string; line: number; revision: string; hist: HistogramJson; calls: number; errors: number; lastMs: number; role?: 'query' }[];
}

/** Database and outgoing calls are what a function issues, not the function itself. */
export function spanRole(s: Pick<Span, 'kind' | 'attributes'>): SpanRole {
  if (s.kind === SpanKind.Client) return 'query';
  const a = s.attributes;
  return a['db.system'] !== undefined || a['db.system.name'] !== undefined || a['db.statement'] !== undefined || a['db.query.text'] !== undefined ? 'query' : 'own';
}

type Table = Map<string, Map<number, Map<string, Cell>>>;

export const cellKey = (file: string, line: number, revision: string, role: SpanRole): string => `${role}\0${file}\0${line}\0${revision}`;

export const REVISION_LATENCY_STATE = 'git.revisionLatency';

export interface RevisionLatencyOptions {
  maxLocations?: number;
  maxRevisions?: number;
}

export class RevisionLatency {
  /** role → file → line → revision → cell */
  private readonly tables: Record<SpanRole, Table> = { own: new Map(), query: new Map() };
  private locations = 0;
  private readonly maxLocations: number;
  private readonly maxRevisions: number;
  /** Locations not tracked because the table was full. */
  overflow = 0;
  dirty = false;

  constructor(opts: RevisionLatencyOptions = {}) {
    this.maxLocations = opts.maxLocations ?? 20_000;
    this.maxRevisions = opts.maxRevisions ?? 8;
  }

  readonly processor: Processor = (batch) => {
    for (const s of batch.spans) {
      const rev = s.resource.revision;
      const loc = countedLocation(s);
      if (!loc || !rev) continue;
      this.add(loc.file, loc.line, rev, spanRole(s), durationMs(s.startNs, s.endNs), isErrorSpan(s), Number(s.endNs / 1_000_000n));
    }
  };

  /** Counts one span of `role` at `file:line` run by `revision`. */
  add(file: string, line: number, revision: string, role: SpanRole, ms: number, error: boolean, endMs: number): void {
    const cell = this.cell(file, line, revision, role);
    if (!cell) return;
    cell.hist.add(ms);
    cell.calls++;
    if (error) cell.errors++;
    cell.lastMs = Math.max(cell.lastMs, endMs);
    this.dirty = true;
  }

  /** Keys (`cellKey`) of every cell kept now. */
  cellKeys(): Set<string> {
    const out = new Set<string>();
    for (const role of ['own', 'query'] as const) {
      for (const [file, lines] of this.tables[role]) for (const [line, revs] of lines) for (const rev of revs.keys()) out.add(cellKey(file, line, rev, role));
    }
    return out;
  }

  private cell(file: string, line: number, revision: string, role: SpanRole): Cell | undefined {
    const table = this.tables[role];
    let lines = table.get(file);
    if (!lines) table.set(file, (lines = new Map()));
    let revs = lines.get(line);
    if (!revs) {
      if (this.locations >= this.maxLocations) {
        this.overflow++;
        return undefined;
      }
      lines.set(line, (revs = new Map()));
      this.locations++;
    }
    let c = revs.get(revision);
    if (!c) {
      if (revs.size >= this.maxRevisions) {
        const oldest = [...revs.entries()].sort((a, b) => a[1].lastMs - b[1].lastMs)[0][0];
        revs.delete(oldest);
      }
      revs.set(revision, (c = { hist: new LogHistogram(), calls: 0, errors: 0, lastMs: 0 }));
    }
    return c;
  }

  /** Samples per line and revision of `role` spans located in `start..end` of `file`. */
  lineSamples(file: string, start: number, end: number, role: SpanRole): Map<number, RevisionSamples[]> {
    const out = new Map<number, RevisionSamples[]>();
    for (const [line, revs] of this.tables[role].get(file) ?? []) {
      if (line < start || line > end) continue;
      out.set(line, [...revs].map(([revision, c]) => ({ revision, latency: c.hist, calls: c.calls, errors: c.errors })));
    }
    return out;
  }

  /** Samples per revision of the functions' own spans over the lines of `ranges` in `file`. */
  samples(file: string, ranges: readonly Pick<LineRange, 'start' | 'end'>[]): RevisionSamples[] {
    const lines = this.tables.own.get(file);
    if (!lines) return [];
    const perRev = new Map<string, RevisionSamples[]>();
    for (const [line, revs] of lines) {
      if (!ranges.some((r) => r.start <= line && line <= r.end)) continue;
      for (const [revision, c] of revs) {
        const list = perRev.get(revision) ?? [];
        list.push({ revision, latency: c.hist, calls: c.calls, errors: c.errors });
        perRev.set(revision, list);
      }
    }
    return [...perRev].map(([revision, list]) => mergeSamples(revision, list));
  }

  /** Forgets everything (the "clear data" command); saved empty at the next save. */
  clear(): void {
    this.tables.own.clear();
    this.tables.query.clear();
    this.locations = 0;
    this.overflow = 0;
    this.dirty = true;
  }

  toJSON(): Saved {
    const rows: Saved['rows'] = [];
    for (const role of ['own', 'query'] as const) {
      for (const [file, lines] of this.tables[role]) {
        for (const [line, revs] of lines) {
          for (const [revision, c] of revs) rows.push({ file, line, revision, hist: c.hist.toJSON(), calls: c.calls, errors: c.errors, lastMs: c.lastMs, ...(role === 'query' ? { role } : {}) });
        }
      }
    }
    return { v: 1, rows };
  }

  load(saved: Saved | undefined): void {
    if (saved?.v !== 1) return;
    for (const r of saved.rows) {
      const c = this.cell(r.file, r.line, r.revision, r.role === 'query' ? 'query' : 'own');
      if (!c) continue;
      c.hist.merge(LogHistogram.fromJSON(r.hist));
      c.calls += r.calls;
      c.errors += r.errors;
      c.lastMs = Math.max(c.lastMs, r.lastMs);
    }
  }
}

/** Where a running revision stands relative to an AI commit. */
export type RevisionSide = 'before' | 'after' | 'unknown';

/**
 * Before/after for the lines of one AI diff: revisions that contain the diff's commit are
 * "after", the others "before", revisions this clone does not have are left out of both
 * (see diffMeasure.ts for how they are reported). Undefined when the diff has no commit
 * (nothing shipped yet) or no revision ran these lines.
 */
export async function beforeAfterForDiff(
  table: RevisionLatency,
  git: Git,
  file: string,
  ranges: readonly LineRange[],
  diff: AiDiff,
  sideOf: (commit: string, revision: string) => Promise<RevisionSide> = cachedSide(git),
): Promise<BeforeAfter | undefined> {
  if (!diff.commit) return undefined;
  const samples = table.samples(file, ranges);
  if (!samples.length) return undefined;
  const before: RevisionSamples[] = [];
  const after: RevisionSamples[] = [];
  for (const s of samples) {
    const side = await sideOf(diff.commit, s.revision);
    if (side !== 'unknown') (side === 'after' ? after : before).push(s);
  }
  return compareBeforeAfter(mergeSamples('before', before), mergeSamples(diff.commit, after), { note: '(AI diff)' });
}

const sideCache = new WeakMap<Git, Map<string, Promise<RevisionSide>>>();

/** Ancestry decides: `after` when `commit` is in `revision`'s history, `before` when not,
 *  `unknown` when this clone does not have `revision` (not fetched, or not a commit). */
export function cachedSide(git: Git): (commit: string, revision: string) => Promise<RevisionSide> {
  let cache = sideCache.get(git);
  if (!cache) sideCache.set(git, (cache = new Map()));
  const c = cache;
  return (commit, revision) => {
    const key = `${commit}..${revision}`;
    let p = c.get(key);
    if (!p) {
      p = (async (): Promise<RevisionSide> => {
        const full = await git.resolve(revision);
        if (!full) return 'unknown';
        return (await git.isAncestor(commit, full)) ? 'after' : 'before';
      })().catch((): RevisionSide => 'unknown');
      // "unknown" is not remembered: after a `git fetch` the revision is known.
      void p.then((side) => side === 'unknown' && c.get(key) === p && c.delete(key));
      c.set(key, p);
      if (c.size > 10_000) c.delete(c.keys().next().value!);
    }
    return p;
  };
}
