// Lines a commit added, from `git show -U0` hunks (no context lines, so every hunk's "+"
// lines are one contiguous run in the new file). Many commits go through one git process.
import type { Git } from './git';
import { hashLines } from './hash';
import type { LineRange } from './types';

export interface AddedFile {
  path: string;
  ranges: LineRange[];
}

const BATCH = 200;

/** Added line ranges per commit (merges are not diffed: their lines belong to their parents). */
export async function addedRanges(git: Git, shas: readonly string[]): Promise<Map<string, AddedFile[]>> {
  const out = new Map<string, AddedFile[]>();
  for (let i = 0; i < shas.length; i += BATCH) {
    const batch = shas.slice(i, i + BATCH);
    for (const s of batch) if (!/^[0-9a-f]{4,64}$/i.test(s)) throw new Error(`not a commit SHA: ${s}`);
    const text = await git.run(['show', '-U0', '--no-color', '--no-ext-diff', '--format=%x1e%H', ...batch, '--']);
    for (const [sha, files] of parseShowU0(text)) out.set(sha, files);
  }
  return out;
}

export function parseShowU0(text: string): Map<string, AddedFile[]> {
  const out = new Map<string, AddedFile[]>();
  for (const rec of text.split('\x1e')) {
    if (!rec.trim()) continue;
    const nl = rec.indexOf('\n');
    const sha = (nl < 0 ? rec : rec.slice(0, nl)).trim();
    out.set(sha, parseUnifiedAdded(nl < 0 ? '' : rec.slice(nl + 1)));
  }
  return out;
}

/** Added ranges per new-side file of a unified diff (git's or a plain one). */
export function parseUnifiedAdded(diff: string): AddedFile[] {
  const files: AddedFile[] = [];
  let cur: AddedFile | undefined;
  let start = 0;
  let added: string[] = [];
  const flush = () => {
    if (cur && added.length) cur.ranges.push({ start, end: start + added.length - 1, hash: hashLines(added) });
    added = [];
  };
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      flush();
      const p = unquote(line.slice(4).replace(/\t.*$/, '').trim());
      if (p === '/dev/null') { cur = undefined; continue; }
      cur = { path: p.replace(/^b\//, ''), ranges: [] };
      files.push(cur);
      continue;
    }
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h) {
      flush();
      start = Number(h[1]);
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('+')) added.push(line.slice(1));
    else if (line.startsWith(' ')) {
      // A context line (plain diffs with context): ends the current run of added lines.
      const runEnd = start + added.length;
      flush();
      start = runEnd + 1;
    } else if (line.startsWith('diff ')) flush();
  }
  flush();
  return files.filter((f) => f.ranges.length > 0);
}

function unquote(p: string): string {
  if (!p.startsWith('"')) return p;
  try {
    return JSON.parse(p) as string;
  } catch (err) {
    // Git's C-style quoting with octal escapes is not JSON; keep the raw name (rare paths).
    void err;
    return p.slice(1, -1);
  }
}
