// Query shapes of team mode: a team collector holds production telemetry placed in its own
// checkout of the repository (at the deployed revision); a teammate's collector asks it by
// repository-relative path and maps the lines onto the teammate's working copy.
import type { FileSummary } from './queries';

/** What a team collector answers for one repository path. */
export interface RepoFileSummary {
  /** The path asked for, repository-relative with forward slashes. */
  path: string;
  /** The commit its checkout is at (the lines of `summary` are lines of this revision);
   *  undefined when the checkout is not a git repository. */
  revision?: string;
  summary: FileSummary;
}

/** Production figures of a local file, on the local working copy's lines. */
export interface TeamFileSummary extends FileSummary {
  source: 'team';
  /** The team collector's checkout revision the figures were read at. */
  revision?: string;
  /** Lines whose place in the working copy git could not say (revision not fetched, code
   *  since deleted): left out of `lines`, counted here. */
  unmapped: number;
  /** Why there is nothing: no team collector configured, not connected, file outside a repo. */
  unavailable?: string;
}

/** One commit-anchored AI diff as a team collector measured it on production telemetry. */
export interface RepoAiDiff {
  /** The full commit SHA: how a teammate's ledger finds the same diff. */
  commit: string;
  subject?: string;
  tool?: string;
  model?: string;
  /** Runtime risk from production figures (git/risk.ts), when the team collector scored it. */
  risk?: { score: number; reasons: string[] };
  calls: number;
  errors: number;
  p95Ratio?: number;
  /** The before/after sentence over production spans ("checkout(): p95 ↑ 5.9× …"). */
  beforeAfter?: string;
}

/** A team collector's AI diffs of its checkout (what `repoAiDiffs` answers). */
export interface RepoAiDiffs {
  /** The checkout's HEAD. */
  revision?: string;
  diffs: RepoAiDiff[];
}

/** Production AI-diff figures through this machine's collector (`teamAiDiffs`). */
export interface TeamAiDiffs extends RepoAiDiffs {
  source: 'team';
  unavailable?: string;
}
