// `git blame --porcelain` for a file (or a line range of it), parsed and cached per
// file + revision. Blame of the working copy is keyed by the file's mtime and size as well,
// so an edit invalidates it; `invalidate(path)` drops a file explicitly (e.g. on save).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Git } from './git';
import { toRelative } from './revisionMapper';

export const UNCOMMITTED = '0000000000000000000000000000000000000000';

export interface BlameLine {
  /** Line in the blamed version (1-based). */
  line: number;
  commit: string;
  /** Line number in `commit`'s version of the file (`origPath`). */
  origLine: number;
  origPath: string;
  author: string;
  authorMail: string;
  authorTimeMs: number;
  summary: string;
  text: string;
}

interface CommitMeta {
  author: string;
  authorMail: string;
  authorTimeMs: number;
  summary: string;
  filename: string;
}

export function parseBlamePorcelain(out: string): BlameLine[] {
  const meta = new Map<string, CommitMeta>();
  const lines: BlameLine[] = [];
  let cur: { sha: string; orig: number; final: number; m: CommitMeta } | undefined;
  for (const raw of out.split('\n')) {
    if (raw.startsWith('\t')) {
      if (!cur) continue;
      const m = cur.m;
      lines.push({ line: cur.final, commit: cur.sha, origLine: cur.orig, origPath: m.filename, author: m.author, authorMail: m.authorMail, authorTimeMs: m.authorTimeMs, summary: m.summary, text: raw.slice(1) });
      cur = undefined;
      continue;
    }
    const h = /^([0-9a-f]{40}) (\d+) (\d+)(?: \d+)?$/.exec(raw);
    if (h) {
      // Commit details come only with a commit's first group; later groups reuse them.
      let m = meta.get(h[1]);
      if (!m) meta.set(h[1], (m = { author: '', authorMail: '', authorTimeMs: 0, summary: '', filename: '' }));
      cur = { sha: h[1], orig: Number(h[2]), final: Number(h[3]), m };
      continue;
    }
    if (!cur) continue;
    const sp = raw.indexOf(' ');
    const k = sp < 0 ? raw : raw.slice(0, sp);
    const val = sp < 0 ? '' : raw.slice(sp + 1);
    if (k === 'author') cur.m.author = val;
    else if (k === 'author-mail') cur.m.authorMail = val.replace(/^<|>$/g, '');
    else if (k === 'author-time') cur.m.authorTimeMs = Number(val) * 1000;
    else if (k === 'summary') cur.m.summary = val;
    else if (k === 'filename') cur.m.filename = val;
  }
  return lines;
}

export class BlameCache {
  private readonly cache = new Map<string, { stamp: string; lines: BlameLine[] }>();

  constructor(private readonly git: Git, private readonly maxEntries = 100) {}

  /** Blame of `path` at `rev` (the working copy when `rev` is absent), optionally only
   *  lines start..end (`-L`), which is much cheaper on long files with long histories. */
  async blame(path: string, opts: { rev?: string; start?: number; end?: number } = {}): Promise<BlameLine[]> {
    const root = await this.git.root();
    const rel = toRelative(root, path);
    const stamp = opts.rev ? '' : await stampOf(join(root, rel));
    const full = this.cache.get(key(rel, opts.rev, undefined));
    if (full && full.stamp === stamp) return slice(full.lines, opts.start, opts.end);
    const range = opts.start !== undefined ? `${opts.start},${opts.end ?? opts.start}` : undefined;
    const k = key(rel, opts.rev, range);
    const hit = this.cache.get(k);
    if (hit && hit.stamp === stamp) return hit.lines;
    if (opts.rev?.startsWith('-')) throw new Error(`bad revision ${opts.rev}`);
    const args = ['blame', '--porcelain', ...(range ? ['-L', range] : []), ...(opts.rev ? [opts.rev] : []), '--', rel];
    const lines = parseBlamePorcelain(await this.git.run(args));
    this.cache.delete(k);
    this.cache.set(k, { stamp, lines });
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    return lines;
  }

  /** Drops every cached blame of `path` (all revisions and ranges). */
  invalidate(path: string): void {
    const rel = path.replace(/\\/g, '/');
    for (const k of [...this.cache.keys()]) if (k.split('\0')[0] === rel || rel.endsWith('/' + k.split('\0')[0])) this.cache.delete(k);
  }

  get size(): number {
    return this.cache.size;
  }
}

function key(rel: string, rev: string | undefined, range: string | undefined): string {
  return `${rel}\0${rev ?? ''}\0${range ?? ''}`;
}

function slice(lines: BlameLine[], start?: number, end?: number): BlameLine[] {
  if (start === undefined) return lines;
  const e = end ?? start;
  return lines.filter((l) => l.line >= start && l.line <= e);
}

async function stampOf(file: string): Promise<string> {
  const s = await stat(file);
  return `${s.mtimeMs}:${s.size}`;
}
