// Deployed path → workspace file. Order: user path mappings (`/app/` → `${workspaceFolder}/`),
// an absolute path already inside a workspace folder, then the longest matching path suffix
// over the workspace index (as CodeStream's code-level metrics do). Ties are reported as
// ambiguous, never guessed. Results are cached per raw path until the folders, mappings or
// index change. Every file returned lies inside a workspace folder after normalisation and
// symlink resolution (./workspaceBoundary.ts): telemetry and mappings cannot name `../..`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PathResolution, WorkspaceRegistry } from './types';
import { WorkspaceIndex, type FileSet } from './workspaceIndex';
import { isAbsoluteLike, normaliseDeployedPath, toForwardSlashes, type DeployedPath } from './paths';
import { WorkspaceBoundary } from './workspaceBoundary';

const CACHE_LIMIT = 20_000;
const AMBIGUOUS_LIST = 10;

export interface PathResolverOptions {
  maxFilesPerIndex?: number;
}

export class PathResolver {
  private readonly indexes = new Map<string, WorkspaceIndex>();
  private readonly cache = new Map<string, PathResolution>();
  private signature = '';
  private folders: string[] = [];
  private mappings: [string, string][] = [];
  /** Where a path may be read or returned from: inside the registered folders. */
  readonly boundary = new WorkspaceBoundary(() => this.folders);

  constructor(private readonly registry: WorkspaceRegistry, private readonly options: PathResolverOptions = {}) {
    this.sync();
  }

  /** Re-read folders and mappings from the registry; cheap when nothing changed. Call once per batch.
   *  Returns true when they changed (callers drop what they derived from resolutions). */
  sync(): boolean {
    const folders = this.registry.folders().map((f) => toForwardSlashes(path.resolve(f)));
    const mappings = Object.entries(this.registry.pathMappings() ?? {});
    const sig = JSON.stringify([folders, mappings]);
    if (sig === this.signature) return false;
    this.signature = sig;
    this.folders = folders;
    this.mappings = mappings;
    this.cache.clear();
    for (const key of [...this.indexes.keys()]) if (!folders.includes(key)) this.indexes.delete(key);
    return true;
  }

  workspaceFolders(): readonly string[] {
    return this.folders;
  }

  index(folder: string): WorkspaceIndex {
    let idx = this.indexes.get(folder);
    if (!idx) {
      idx = new WorkspaceIndex(folder, { maxFiles: this.options.maxFilesPerIndex ?? 200_000 });
      this.indexes.set(folder, idx);
    }
    return idx;
  }

  /** Rebuild the file index of one folder (or all) on the next lookup. */
  refresh(folder?: string): void {
    for (const [key, idx] of this.indexes) if (!folder || key === toForwardSlashes(path.resolve(folder))) idx.refresh();
    this.cache.clear();
  }

  /** Incremental updates from a file watcher. */
  fileCreated(abs: string): void {
    for (const idx of this.indexes.values()) idx.addFile(abs);
    this.cache.clear();
  }

  fileDeleted(abs: string): void {
    for (const idx of this.indexes.values()) idx.removeFile(abs);
    this.cache.clear();
  }

  resolve(raw: string): PathResolution {
    const hit = this.cache.get(raw);
    if (hit) return hit;
    const r = this.inside(this.compute(raw));
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(raw, r);
    return r;
  }

  /** Last gate: a file result outside the folders (a symlink in the index pointing out) is unresolved. */
  private inside(r: PathResolution): PathResolution {
    if (r.kind !== 'file' || this.boundary.contain(r.file)) return r;
    return { kind: 'unresolved', reason: `${r.file} is outside the workspace folders` };
  }

  private compute(raw: string): PathResolution {
    if (!raw || !raw.trim()) return { kind: 'unresolved', reason: 'no path' };
    if (this.folders.length === 0) return { kind: 'unresolved', reason: 'no workspace folder is open' };
    const dp = normaliseDeployedPath(raw);
    if (dp.segments.length === 0) return { kind: 'unresolved', reason: `not a file path: ${raw}` };
    const mapped = this.viaMappings(raw, dp);
    if (mapped) return mapped;
    if (isAbsoluteLike(dp.path)) {
      // Normalised first: `/ws/../../etc/passwd` is not inside `/ws`.
      const abs = this.boundary.contain(dp.path);
      if (abs && isFile(abs)) return { kind: 'file', file: abs, how: 'exact', confidence: 1, matchedSegments: dp.segments.length };
    }
    const primary = this.bySuffix(dp, (idx) => idx.sources());
    if (primary) return primary;
    const fallback = this.bySuffix(dp, (idx) => idx.fallback());
    if (fallback) {
      if (fallback.kind === 'file') fallback.confidence = round(fallback.confidence * 0.9);
      return fallback;
    }
    return { kind: 'unresolved', reason: `no workspace file ends with ${dp.segments[dp.segments.length - 1]}` };
  }

  private viaMappings(raw: string, dp: DeployedPath): PathResolution | undefined {
    if (this.mappings.length === 0) return undefined;
    const candidates = [toForwardSlashes(raw.replace(/\\/g, '/')), dp.path];
    // Longest prefix first, so `/app/web/` wins over `/app/`.
    const sorted = [...this.mappings].sort((a, b) => b[0].length - a[0].length);
    for (const [fromRaw, to] of sorted) {
      const from = fromRaw.replace(/\\/g, '/');
      for (const c of candidates) {
        const matches = dp.windows || /^[A-Za-z]:/.test(from) ? c.toLowerCase().startsWith(from.toLowerCase()) : c.startsWith(from);
        if (!matches) continue;
        const rest = c.slice(from.length);
        for (const target of this.expand(to)) {
          const joined = this.boundary.contain(joinMapped(target, rest));
          if (joined && isFile(joined)) return { kind: 'file', file: joined, how: 'mapping', confidence: 1, matchedSegments: dp.segments.length };
        }
      }
    }
    return undefined;
  }

  /** `${workspaceFolder}` → every open folder; `${workspaceFolder:name}` → the folder with that basename. */
  private expand(to: string): string[] {
    const named = /\$\{workspaceFolder:([^}]+)\}/.exec(to);
    if (named) {
      const f = this.folders.find((x) => path.basename(x) === named[1]);
      return f ? [to.replace(named[0], f)] : [];
    }
    if (to.includes('${workspaceFolder}')) return this.folders.map((f) => to.split('${workspaceFolder}').join(f));
    return [to];
  }

  private bySuffix(dp: DeployedPath, set: (idx: WorkspaceIndex) => FileSet): PathResolution | undefined {
    const base = dp.segments[dp.segments.length - 1];
    let best = 0;
    let winners: string[] = [];
    let winnerWhole = false;
    for (const folder of this.folders) {
      for (const rel of set(this.index(folder)).named(base)) {
        const score = suffixScore(dp, rel.split('/'));
        if (score === 0) continue;
        const abs = `${folder}/${rel}`;
        const whole = score === rel.split('/').length;
        if (score > best) { best = score; winners = [abs]; winnerWhole = whole; }
        else if (score === best) winners.push(abs);
      }
    }
    if (winners.length === 0) return undefined;
    if (winners.length > 1) {
      return { kind: 'ambiguous', ambiguous: winners.slice(0, AMBIGUOUS_LIST), reason: `${winners.length} workspace files end with ${dp.segments.slice(-best).join('/')}` };
    }
    const n = dp.segments.length;
    // The deployed path ends with the whole workspace-relative path (`/app/` + `src/x.ts`), or
    // the whole deployed path matched: as good as a suffix gets. Otherwise more segments, more trust.
    // A bare file name (`App.js`) that happens to be unique is a weaker claim.
    const confidence = n === 1 ? 0.6 : best >= n || (winnerWhole && best >= 2) ? 0.95 : Math.min(0.9, 0.5 + 0.1 * (best - 1));
    return { kind: 'file', file: winners[0], how: 'suffix', confidence: round(confidence), matchedSegments: best };
  }
}

/** Equal trailing segments; case-insensitive for Windows-style paths. 0 when even the basename differs. */
export function suffixScore(dp: DeployedPath, candidate: string[]): number {
  let n = 0;
  const a = dp.segments;
  while (n < a.length && n < candidate.length) {
    const x = a[a.length - 1 - n];
    const y = candidate[candidate.length - 1 - n];
    if (dp.windows ? x.toLowerCase() !== y.toLowerCase() : x !== y) break;
    n++;
  }
  return n;
}

function joinMapped(target: string, rest: string): string {
  if (!rest) return target;
  return target.endsWith('/') || rest.startsWith('/') ? `${target}${rest}` : `${target}/${rest}`;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    // ENOENT and friends: "not a file" is the answer asked for.
    return false;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
