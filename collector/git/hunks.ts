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
    // Explicit prefixes and no textconv: user config (diff.noprefix, mnemonicPrefix) must not change the output.
    const text = await git.run(['show', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--format=%x1e%H', ...batch, '--']);
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

/** Added ranges per new-side file of a unified diff (git's or a plain one). Hunk bodies are
 *  consumed by their line counts, so an added line that itself starts with "++ " is never
 *  mistaken for a file header. */
export function parseUnifiedAdded(diff: string): AddedFile[] {
  const files: AddedFile[] = [];
  let cur: AddedFile | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let next = 0; // new-side line number of the next line
  let runStart = 0;
  let run: string[] = [];
  const flush = () => {
    if (cur && run.length) cur.ranges.push({ start: runStart, end: runStart + run.length - 1, hash: hashLines(run) });
    run = [];
  };
  for (const line of diff.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith('+')) {
        if (!run.length) runStart = next;
        run.push(line.slice(1));
        next++;
        newLeft--;
      } else if (line.startsWith('-')) oldLeft--;
      else if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      else {
        flush();
        next++;
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    flush();
    if (line.startsWith('+++ ')) {
      const p = unquote(line.slice(4).replace(/\t.*$/, '').trim());
      if (p === '/dev/null') { cur = undefined; continue; }
      cur = { path: p.replace(/^[bw]\//, ''), ranges: [] };
      files.push(cur);
      continue;
    }
    const h = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h) {
      oldLeft = h[1] === undefined ? 1 : Number(h[1]);
      next = Number(h[2]);
      newLeft = h[3] === undefined ? 1 : Number(h[3]);
    }
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
