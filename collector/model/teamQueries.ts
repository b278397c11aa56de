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
