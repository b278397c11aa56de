// Telemetry from an older deployed revision names that revision's lines; this maps them to
// today's working copy (`git show REV:path` vs the file on disk). Mappings are cached per
// revision+path and invalidated when the working file changes (mtime/size).
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { Git } from './git';
import { lineMapping, type LineMapping } from './lineTracking';

interface Entry {
  stamp: string;
  mapping: LineMapping | undefined;
}

export class RevisionLineMapper {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly git: Git, private readonly maxEntries = 200) {}

  /** Today's line for `line` of `path` at `rev`; undefined when the file or revision is unknown. */
  async map(rev: string, path: string, line: number): Promise<{ line: number; exact: boolean } | undefined> {
    const m = await this.mapping(rev, path);
    return m?.nearest(line);
  }

  async mapping(rev: string, path: string): Promise<LineMapping | undefined> {
    const root = await this.git.root();
    const rel = toRelative(root, path);
    const abs = join(root, rel);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const key = `${rev}\0${rel}`;
    const stamp = `${st.mtimeMs}:${st.size}`;
    const hit = this.cache.get(key);
    if (hit && hit.stamp === stamp) return hit.mapping;
    let old: string;
    try {
      old = await this.git.show(rev, rel);
    } catch (err) {
      if ((err as { code?: string }).code === 'bad-revision') return undefined;
      throw err;
    }
    const mapping = lineMapping(old, await readFile(abs, 'utf8'));
    this.cache.delete(key);
    this.cache.set(key, { stamp, mapping });
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    return mapping;
  }
}

/** One-shot form of `RevisionLineMapper.map`. */
export function mapLineFromRevision(git: Git, rev: string, path: string, line: number): Promise<{ line: number; exact: boolean } | undefined> {
  return new RevisionLineMapper(git).map(rev, path, line);
}

export function toRelative(root: string, path: string): string {
  const p = path.replace(/\\/g, '/');
  return (isAbsolute(p) ? relative(root, p) : p).replace(/\\/g, '/').replace(/^\.\//, '');
}
