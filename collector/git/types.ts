// Shapes of collector/git (commits and AI diffs): the AI-diff ledger, deploy markers, and the
// result of the live `aiDiffs` method. Everything here is JSON-serialisable, because the
// ledger is persisted through the store's state and exported as JSON lines.

/** Where the knowledge that a change came from an AI comes from. */
export type AiDiffSource = 'trailer' | 'author' | 'hook' | 'agent-trace' | 'editor' | 'manual';
export type AiDiffState = 'confirmed' | 'suspected' | 'dismissed';

/** 1-based inclusive line range with a hash of its content (see hash.ts) to re-find it. */
export interface LineRange {
  start: number;
  end: number;
  hash: string;
}

export interface AiDiffFile {
  /** Path relative to the repository root, forward slashes. */
  path: string;
  /** Where the ranges are now, in the working copy (as of the last refresh). */
  ranges: LineRange[];
  /** For commit-anchored diffs (trailer, author, agent-trace): the ranges as recorded at
   *  `AiDiff.commit`. Current ranges are re-derived from these by diffing `commit:path`
   *  against the working copy, so nothing drifts however often it is refreshed. */
  origin?: LineRange[];
  /** The revision `origin` is recorded against when it is not `AiDiff.commit`: a live range
   *  (hook, editor, manual) is pinned to HEAD once its file is committed, so later edits
   *  move it by diff instead of losing it when its content hash no longer matches. */
  anchor?: string;
}

export interface AiDiff {
  id: string;
  source: AiDiffSource;
  tool?: string;
  model?: string;
  files: AiDiffFile[];
  /** The commit that introduced the change, when known (full SHA). */
  commit?: string;
  /** Commit subject, for display. */
  subject?: string;
  /** When the change was made (author time for commits), ms since epoch. */
  timeMs: number;
  /** Who or what vouched for it: a trailer line, "author: X", "hook:claude-code", "user". */
  confirmedBy: string;
  state: AiDiffState;
  /** Ranges whose lines are gone from the working copy; kept, not deleted. */
  removedRanges?: (LineRange & { path: string })[];
}


export interface DeployMarker {
  service: string;
  revision: string;
  /** How the revision was named: a commit SHA (full or abbreviated) or a tag/version. */
  kind: 'sha' | 'tag';
  /** Which resource attribute carried it. */
  attribute: string;
  /** First time telemetry from this service reported this revision (ms). */
  firstSeenMs: number;
  /** The revision the service reported before, if any. */
  previous?: string;
}

/** Runtime numbers attached to an AI diff when a collector with telemetry answers. */
export interface AiDiffRuntime {
  calls: number;
  errors: number;
  /** Lines of the diff that telemetry has been seen running (per LineStats). */
  observedLines: number;
  totalLines: number;
  slowQueries: number;
  nPlusOnes: number;
  p95Ratio?: number;
  /** The sentence shown everywhere (CLI, lens, hover, AI Diffs view), from the headline
   *  unit: "checkout(): p95 ↑ 5.9× (300 before / 680 after) since abc1234 (AI diff)". */
  beforeAfter?: string;
  /** Per code unit the diff touches (see diffMeasure.ts), when a collector measured them. */
  units?: AiDiffUnitFigure[];
  /** Calls from revisions this clone does not have (neither before nor after). */
  unknownCalls?: number;
}

export interface AiDiffUnitFigure {
  path: string;
  name: string;
  start: number;
  end: number;
  spanLine?: number;
  before: { calls: number; errors: number };
  after: { calls: number; errors: number };
  unknown: { calls: number; errors: number; revisions: string[] };
  queries: { before: number; after: number };
  status?: 'ok' | 'not-enough-data';
  p95Ratio?: number;
  sentence: string;
}

export interface RiskResult {
  score: number;
  reasons: string[];
}

export interface AiDiffView extends AiDiff {
  runtime?: AiDiffRuntime;
  risk?: RiskResult;
}

/** Result of the live method `aiDiffs` (and of `vibewatch ai-diffs --json`). */
export interface AiDiffsResult {
  workspace: string;
  /** Repository root, when the workspace is inside a git repository. */
  root?: string;
  head?: string;
  /** Why git could not be used (not installed, not a repository); the ledger still answers. */
  gitError?: string;
  /** Where the numbers came from: git and the ledger alone, or a running collector. */
  from: 'git' | 'collector';
  /** Inputs that could not be read (e.g. a malformed Agent Trace line), for the user to fix. */
  warnings?: string[];
  diffs: AiDiffView[];
}

/** Params of the live method `aiDiffEdit`: what the editor reports or the user decides. */
export type AiDiffEditParams =
  | { workspace: string; op: 'recordSuspected' | 'mark'; file: string; startLine: number; endLine: number; text: string; tool?: string; model?: string }
  | { workspace: string; op: 'confirm' | 'dismiss'; id: string }
  | { workspace: string; op: 'unmark'; file: string; startLine: number; endLine: number }
  | { workspace: string; op: 'applyEdit'; file: string; oldText: string; newText: string };

export interface AiDiffEditResult {
  /** The diff created or changed (recordSuspected, mark, confirm, dismiss). */
  diff?: AiDiff;
  /** How many diffs an unmark touched. */
  touched?: number;
}
