// A team collector's answer to "what does production do in <repo path>": the figures of that
// file in its own checkout (where its spans are placed, at the lines of its HEAD: older
// deployed revisions are already remapped onto them at ingest), and that HEAD, so the asker
// can map the lines onto its own working copy.
import { join } from 'node:path';
import type { RepoAiDiff, RepoFileSummary } from '../model/teamQueries';
import type { FileSummary } from '../model/queries';
import type { Git } from './git';
import type { AiDiffView } from './types';

export interface RepoSummaryDeps {
  folders: () => string[];
  gitFor: (workspace: string) => Git;
  fileSummary: (file: string) => Promise<FileSummary>;
}

/** A repository-relative path as a team client may give it: forward slashes, no `..`, not absolute. */
export function checkRepoPath(path: unknown): string {
  if (typeof path !== 'string' || !path || path.length > 1024 || path.startsWith('/') || /\\|\0|^[a-zA-Z]:/.test(path) || path.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new TypeError('"path" must be a repository-relative path with forward slashes and no "..", "." or empty segments');
  }
  return path;
}

export async function repoFileSummary(deps: RepoSummaryDeps, path: string): Promise<RepoFileSummary> {
  for (const ws of deps.folders()) {
    const git = deps.gitFor(ws);
    const root = await git.root().catch(() => undefined);
    const summary = await deps.fileSummary(join(root ?? ws, path));
    if (!summary.lines.length) continue;
    const revision = root ? await git.head().catch(() => undefined) : undefined;
    // The team side's absolute path stays on the team side.
    return { path, ...(revision ? { revision } : {}), summary: { file: path, lines: summary.lines } };
  }
  return { path, summary: { file: path, lines: [] } };
}

/** The AI diffs a team client may see: those anchored to a commit (a teammate's clone has the
 *  same commit; editor-captured ranges are this machine's own), not dismissed, with the
 *  production figures and risk only — no file paths or ranges of this checkout. */
export function repoAiDiffsOf(views: readonly AiDiffView[]): RepoAiDiff[] {
  return views
    .filter((d): d is AiDiffView & { commit: string } => typeof d.commit === 'string' && /^[0-9a-f]{40}$/.test(d.commit) && d.state !== 'dismissed')
    .map((d) => ({
      commit: d.commit,
      ...(d.subject !== undefined ? { subject: d.subject } : {}),
      ...(d.tool !== undefined ? { tool: d.tool } : {}),
      ...(d.model !== undefined ? { model: d.model } : {}),
      ...(d.risk ? { risk: { score: d.risk.score, reasons: d.risk.reasons } } : {}),
      calls: d.runtime?.calls ?? 0,
      errors: d.runtime?.errors ?? 0,
      ...(d.runtime?.p95Ratio !== undefined ? { p95Ratio: d.runtime.p95Ratio } : {}),
      ...(d.runtime?.beforeAfter !== undefined ? { beforeAfter: d.runtime.beforeAfter } : {}),
    }));
}
