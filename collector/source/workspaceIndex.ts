// An index of one workspace folder's files, for suffix matching. Built once (synchronously,
// on first use), refreshed on demand, and updated per file by addFile/removeFile so the hot
// path never rescans. Dependency and build folders are indexed separately and only when a
// lookup finds nothing in the sources ("unless that is all there is").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toForwardSlashes } from './paths';

/** Never indexed. */
const NEVER = new Set(['.git', '.hg', '.svn']);
/** Indexed only as a fallback. */
export const SECONDARY = new Set(['node_modules', 'dist', 'build', 'out', 'target', 'bin', 'obj', '.next', '.nuxt', 'coverage',
  '__pycache__', '.venv', 'venv', 'vendor', '.gradle', '.idea', '.vscode-test', '.cache', '.turbo', '.svelte-kit']);

export interface IndexLimits {
  /** Files per index (sources, and separately the fallback). */
  maxFiles: number;
}

export class FileSet {
  /** lowercased basename → workspace-relative paths (forward slashes). */
  private readonly byName = new Map<string, string[]>();
  size = 0;

  add(rel: string): void {
    const key = rel.slice(rel.lastIndexOf('/') + 1).toLowerCase();
    const list = this.byName.get(key);
    if (list) { if (!list.includes(rel)) { list.push(rel); this.size++; } }
    else { this.byName.set(key, [rel]); this.size++; }
  }

  remove(rel: string): void {
    const key = rel.slice(rel.lastIndexOf('/') + 1).toLowerCase();
    const list = this.byName.get(key);
    const i = list ? list.indexOf(rel) : -1;
    if (list && i >= 0) { list.splice(i, 1); this.size--; }
  }

  named(basename: string): readonly string[] {
    return this.byName.get(basename.toLowerCase()) ?? [];
  }

  *all(): IterableIterator<string> {
    for (const list of this.byName.values()) yield* list;
  }
}

export class WorkspaceIndex {
  readonly root: string;
  private primary?: FileSet;
  private secondary?: FileSet;
  private secondaryDirs: string[] = [];
  /** Times the sources were walked; tests and stats read it to prove the hot path does not rescan. */
  builds = 0;
  skippedEntries = 0;

  constructor(root: string, private readonly limits: IndexLimits = { maxFiles: 200_000 }) {
    this.root = toForwardSlashes(path.resolve(root));
  }

  /** Workspace-relative source files (built on first call). */
  sources(): FileSet {
    if (!this.primary) this.build();
    return this.primary!;
  }

  /** Files under dependency/build folders, walked on first call only. */
  fallback(): FileSet {
    if (!this.primary) this.build();
    if (!this.secondary) {
      this.secondary = new FileSet();
      for (const dir of this.secondaryDirs) this.walk(dir, this.secondary, true);
    }
    return this.secondary;
  }

  /** Drop everything; the next lookup rebuilds. */
  refresh(): void {
    this.primary = undefined;
    this.secondary = undefined;
    this.secondaryDirs = [];
  }

  addFile(absPath: string): void {
    const rel = this.relative(absPath);
    if (rel === undefined || !this.primary) return;
    const inSecondary = rel.split('/').some((s) => SECONDARY.has(s));
    if (inSecondary) this.secondary?.add(rel);
    else this.primary.add(rel);
  }

  removeFile(absPath: string): void {
    const rel = this.relative(absPath);
    if (rel === undefined) return;
    this.primary?.remove(rel);
    this.secondary?.remove(rel);
  }

  relative(absPath: string): string | undefined {
    const p = toForwardSlashes(absPath);
    if (!p.startsWith(this.root + '/')) return undefined;
    return p.slice(this.root.length + 1);
  }

  private build(): void {
    this.builds++;
    this.primary = new FileSet();
    this.secondaryDirs = [];
    this.walk('', this.primary, false);
  }

  private walk(startRel: string, into: FileSet, inSecondary: boolean): void {
    const stack = [startRel];
    while (stack.length) {
      const rel = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(rel ? `${this.root}/${rel}` : this.root, { withFileTypes: true });
      } catch (err) {
        // Unreadable folder (permissions, deleted meanwhile): counted, the rest is indexed.
        this.skippedEntries++;
        void err;
        continue;
      }
      for (const e of entries) {
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (NEVER.has(e.name)) continue;
          if (!inSecondary && SECONDARY.has(e.name)) { this.secondaryDirs.push(childRel); continue; }
          stack.push(childRel);
        } else if (e.isFile()) {
          if (into.size >= this.limits.maxFiles) { this.skippedEntries++; continue; }
          into.add(childRel);
        }
      }
    }
  }
}
