// `git log` in one pass with a parseable format: one record per commit starting with
// U+001E, fields separated by NUL, trailers already unfolded by git.
import type { Git } from './git';

export interface Trailer {
  key: string;
  value: string;
}

export interface CommitInfo {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorTimeMs: number;
  subject: string;
  trailers: Trailer[];
}

const FIELDS = ['%H', '%P', '%an', '%ae', '%at', '%s', '%(trailers:only=true,unfold=true)'];
export const LOG_FORMAT = '%x1e' + FIELDS.join('%x00');

/** Commits reachable from `to` and not from `from` (all of `to` when `from` is absent), newest first. */
export async function readLog(git: Git, to: string, from?: string): Promise<CommitInfo[]> {
  for (const r of [to, from]) if (r && r.startsWith('-')) throw new Error(`bad revision ${r}`);
  const range = from ? `${from}..${to}` : to;
  const out = await git.run(['log', `--format=${LOG_FORMAT}`, '--no-color', '--no-show-signature', range, '--']);
  return parseLog(out);
}

export function parseLog(out: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const rec of out.split('\x1e')) {
    if (!rec.trim()) continue;
    const f = rec.split('\x00');
    if (f.length < FIELDS.length) continue;
    commits.push({
      sha: f[0].trim(),
      parents: f[1].trim() ? f[1].trim().split(' ') : [],
      authorName: f[2],
      authorEmail: f[3],
      authorTimeMs: Number(f[4]) * 1000,
      subject: f[5],
      trailers: parseTrailers(f[6]),
    });
  }
  return commits;
}

export function parseTrailers(text: string): Trailer[] {
  const out: Trailer[] = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line.slice(0, 1024).trim());
    if (m) out.push({ key: m[1], value: m[2].trim() });
  }
  return out;
}
