// Incremental scan of commits for AI trailers and authors. The last scanned HEAD is kept;
// the next scan reads only `last..HEAD`. When HEAD no longer descends from it (rebase,
// amend, reset, another branch) the whole history is rescanned, and because a diff's id
// comes from what a rebase preserves (author, author time, subject), a rebased commit
// updates its old entry instead of adding a second one.
import { createHash } from 'node:crypto';
import type { Git } from './git';
import { addedRanges } from './hunks';
import { readLog, type CommitInfo } from './log';
import type { AiPatterns } from './patterns';
import type { AiDiff } from './types';

export interface ScanResult {
  head?: string;
  /** `incremental`: only new commits were read; `full`: all of history; `none`: HEAD unchanged. */
  mode: 'none' | 'incremental' | 'full';
  /** The previous HEAD was not an ancestor of this one. */
  rewritten: boolean;
  commitsRead: number;
  diffs: AiDiff[];
  /** For a full scan: ids of every AI commit reachable from HEAD (to spot entries that left). */
  reachableIds?: Set<string>;
}

export async function scanTrailers(git: Git, patterns: AiPatterns, lastHead?: string): Promise<ScanResult> {
  const head = await git.head();
  if (!head) return { head, mode: 'none', rewritten: false, commitsRead: 0, diffs: [] };
  if (head === lastHead) return { head, mode: 'none', rewritten: false, commitsRead: 0, diffs: [] };
  const incremental = !!lastHead && (await git.isAncestor(lastHead, head));
  const commits = await readLog(git, head, incremental ? lastHead : undefined);
  const matched: { c: CommitInfo; m: NonNullable<ReturnType<AiPatterns['match']>> }[] = [];
  for (const c of commits) {
    if (c.parents.length > 1) continue; // merges: their lines are their parents'
    const m = patterns.match(c);
    if (m) matched.push({ c, m });
  }
  const added = await addedRanges(git, matched.map((x) => x.c.sha));
  const diffs: AiDiff[] = matched.map(({ c, m }) => ({
    id: commitDiffId(c),
    source: m.source,
    tool: m.tool,
    model: m.model,
    files: (added.get(c.sha) ?? []).map((f) => ({ path: f.path, ranges: f.ranges.map((r) => ({ ...r })), origin: f.ranges })),
    commit: c.sha,
    subject: c.subject,
    timeMs: c.authorTimeMs,
    confirmedBy: m.confirmedBy,
    state: 'confirmed',
  }));
  return {
    head,
    mode: incremental ? 'incremental' : 'full',
    rewritten: !!lastHead && !incremental,
    commitsRead: commits.length,
    diffs,
    reachableIds: incremental ? undefined : new Set(diffs.map((d) => d.id)),
  };
}

/** Stable across rebase and cherry-pick (they keep author, author date and subject). */
export function commitDiffId(c: Pick<CommitInfo, 'authorEmail' | 'authorTimeMs' | 'subject'>): string {
  return 'c:' + createHash('sha256').update(`${c.authorEmail}\0${c.authorTimeMs}\0${c.subject}`).digest('hex').slice(0, 16);
}
