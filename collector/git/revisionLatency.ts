// Latency and errors per code location *per running revision*, as before/after reads them:
// a view over the revision cells of the collector's time series (collector/timeseries/
// revisionCells.ts), which the store folds from the same journal records as the lens and
// checkpoints with them. Two roles are kept apart: a unit's own spans and the queries it
// issues (client / database spans), so an N+1 added to a function never dilutes the
// function's latency; it is counted as what it is (see diffMeasure.ts).
import { LogHistogram, type HistogramJson } from '../model/histogram';
import { RevisionCells, type SpanRole } from '../timeseries/revisionCells';
import { revisionKey } from '../timeseries/seriesKey';
import { compareBeforeAfter, mergeSamples, type BeforeAfter, type RevisionSamples } from './beforeAfter';
import type { Git } from './git';
import type { AiDiff, LineRange } from './types';

export type { SpanRole } from '../timeseries/revisionCells';
export { spanRole } from '../model/spanOutcome';

/** The store state key of the table before it joined the time-series checkpoint. */
export const REVISION_LATENCY_STATE = 'git.revisionLatency';

/** What was saved under REVISION_LATENCY_STATE (version 1). */
export interface LegacyRevisionState {
  v: 1;
  rows: { file: string; line: number; revision: string; hist: HistogramJson; calls: number; errors: number; lastMs: number; role?: 'query' }[];
}

export class RevisionLatency {
  constructor(readonly cells: RevisionCells = new RevisionCells()) {}

  /** Locations not tracked because the table was full. */
  get overflow(): number {
    return this.cells.overflow;
  }

  /** Counts one span of `role` at `file:line` run by `revision`. */
  add(file: string, line: number, revision: string, role: SpanRole, ms: number, error: boolean, endMs: number): void {
    this.cells.add(file, line, revision, role, ms, error, endMs);
  }

  /** Keys (`revisionKey`) of every cell kept now. */
  cellKeys(): Set<string> {
    return this.cells.keys();
  }

  /** Samples per line and revision of `role` spans located in `start..end` of `file`. */
  lineSamples(file: string, start: number, end: number, role: SpanRole): Map<number, RevisionSamples[]> {
    const out = new Map<number, RevisionSamples[]>();
    for (const c of this.cells.inFile(file)) {
      if (c.role !== role || c.line < start || c.line > end) continue;
      let list = out.get(c.line);
      if (!list) out.set(c.line, (list = []));
      list.push({ revision: c.revision, latency: c.cell.hist, calls: c.cell.count, errors: c.cell.errors });
    }
    return out;
  }

  /** Samples per revision of the functions' own spans over the lines of `ranges` in `file`. */
  samples(file: string, ranges: readonly Pick<LineRange, 'start' | 'end'>[]): RevisionSamples[] {
    const perRev = new Map<string, RevisionSamples[]>();
    for (const c of this.cells.inFile(file)) {
      if (c.role !== 'own' || !ranges.some((r) => r.start <= c.line && c.line <= r.end)) continue;
      const list = perRev.get(c.revision) ?? [];
      list.push({ revision: c.revision, latency: c.cell.hist, calls: c.cell.count, errors: c.cell.errors });
      perRev.set(c.revision, list);
    }
    return [...perRev].map(([revision, list]) => mergeSamples(revision, list));
  }

  /** Forgets everything (the "clear data" command). */
  clear(): void {
    this.cells.clear();
  }

  /** Moves a table saved by an older collector into the cells: only cells not already
   *  there (those were refilled from the journal, and would be counted twice). */
  loadLegacy(saved: LegacyRevisionState | undefined): number {
    if (saved?.v !== 1) return 0;
    const known = this.cells.keys();
    let moved = 0;
    for (const r of saved.rows) {
      const role: SpanRole = r.role === 'query' ? 'query' : 'own';
      if (known.has(revisionKey(role, r.file, r.line, r.revision))) continue;
      const hist = LogHistogram.fromJSON(r.hist);
      this.cells.merge(role, r.file, r.line, r.revision, { count: r.calls, errors: r.errors, sum: hist.sum, max: hist.count ? hist.max : 0, hist }, r.lastMs);
      moved++;
    }
    return moved;
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
