// One workspace's AI-diff ledger kept up to date from every source that needs no editor:
// the shared `.vibewatch/ai-diffs.jsonl`, commit trailers/authors (incremental), Agent Trace
// files, and line tracking of every range onto the working copy. Git being absent or the
// folder not being a repository is reported in `gitError`; the ledger still answers.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_TRACE_DIR, agentTraceDiffs, readAgentTraces } from './agentTrace';
import { BlameCache, UNCOMMITTED } from './blame';
import { Git, GitError } from './git';
import { AiDiffLedger } from './ledger';
import { trackRanges } from './lineTracking';
import { AiPatterns } from './patterns';
import { toRelative } from './revisionMapper';
import { scanTrailers, type ScanResult } from './trailerScan';
import type { AiDiff, AiDiffsResult, LineRange } from './types';
import type { DurableState } from '../store/api';

export const LEDGER_FILE = '.vibewatch/ai-diffs.jsonl';

export interface AiDiffServiceOptions {
  workspace: string;
  state: DurableState;
  git?: Git;
  patterns?: AiPatterns;
  now?: () => number;
  /** Read `.vibewatch/ai-diffs.jsonl` on refresh (default true). */
  importShared?: boolean;
  /** The stored ledger changed (a scan found a diff, an edit, a confirm...). */
  onLedgerChanged?: () => void;
}

interface Derived {
  stamp: string;
  ranges: LineRange[];
  removed: LineRange[];
}

export class AiDiffService {
  readonly git: Git;
  private readonly patterns: AiPatterns;
  private ledgerP?: Promise<AiDiffLedger>;
  private root = '';
  private gitError?: GitError;
  private sharedStamp = '';
  private readonly derived = new Map<string, Derived>();
  private readonly blame: BlameCache;
  private inflight?: Promise<AiDiffsResult>;
  lastScan?: ScanResult;

  constructor(private readonly o: AiDiffServiceOptions) {
    this.git = o.git ?? new Git({ cwd: o.workspace });
    this.patterns = o.patterns ?? new AiPatterns();
    this.blame = new BlameCache(this.git);
  }

  /** Repository root (forward slashes) once `ledger()` has resolved; the workspace before. */
  get repoRoot(): string {
    return this.root || this.o.workspace;
  }

  get workspace(): string {
    return this.o.workspace;
  }

  /** Resolves the repository root (or the workspace when git is unusable) and loads the ledger. */
  ledger(): Promise<AiDiffLedger> {
    this.ledgerP ??= (async () => {
      try {
        this.root = await this.git.root();
      } catch (err) {
        if (!(err instanceof GitError)) throw err;
        this.gitError = err;
        this.root = this.o.workspace.replace(/\\/g, '/');
      }
      const l = new AiDiffLedger(this.o.state, `git.aiDiffs:${this.root}`, (p) => toRelative(this.root, p), this.o.now, this.o.onLedgerChanged);
      await l.load();
      return l;
    })();
    return this.ledgerP;
  }

  /** Brings the ledger up to date; concurrent callers share one refresh. */
  refresh(): Promise<AiDiffsResult> {
    this.inflight ??= this.doRefresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async doRefresh(): Promise<AiDiffsResult> {
    await this.retryGit();
    const ledger = await this.ledger();
    if (this.o.importShared !== false) await this.importShared(ledger);
    let head: string | undefined;
    const warnings: string[] = [];
    if (!this.gitError) {
      try {
        head = await this.scan(ledger);
        const traces = await readAgentTraces(this.root);
        warnings.push(...traces.problems.map((p) => `${AGENT_TRACE_DIR}/${p}`));
        // Records already in the ledger are not re-read (each costs a `git show` per file).
        const fresh = traces.records.filter((r) => !ledger.get(`t:${r.id}`));
        const fromTraces = await agentTraceDiffs(fresh, (rev, p) => this.git.show(rev, p).catch(missingAsUndefined), (p) => this.readWorking(p));
        for (const d of fromTraces) ledger.put(d);
      } catch (err) {
        if (!(err instanceof GitError)) throw err;
        this.gitError = err;
      }
    }
    await this.track(ledger, head);
    await ledger.save();
    return { workspace: this.o.workspace, root: this.root, head, gitError: this.gitError?.message, from: 'git', ...(warnings.length ? { warnings } : {}), diffs: ledger.list() };
  }

  /** A folder that was not a repository (or had no git) may have become one since: `git init`
   *  or a clone after the collector first looked. Each refresh asks again; when the root
   *  differs from the folder the ledger was keyed by, the ledger is reloaded under it. */
  private async retryGit(): Promise<void> {
    if (!this.gitError || !this.ledgerP) return;
    await this.ledgerP;
    let root: string;
    try {
      root = await this.git.root();
    } catch (err) {
      if (!(err instanceof GitError)) throw err;
      this.gitError = err;
      return;
    }
    this.gitError = undefined;
    if (root === this.root) return;
    this.ledgerP = undefined;
    this.derived.clear();
  }

  /** Writes the ledger to `<workspace>/.vibewatch/ai-diffs.jsonl` (temp file + rename). */
  async exportShared(): Promise<string> {
    const ledger = await this.ledger();
    const file = join(this.o.workspace, LEDGER_FILE);
    await mkdir(join(this.o.workspace, '.vibewatch'), { recursive: true });
    // A per-process temp name: two agent hooks finishing at once must not share one.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, ledger.exportJsonl());
    await rename(tmp, file);
    this.sharedStamp = await stampOf(file);
    return file;
  }

  private async importShared(ledger: AiDiffLedger): Promise<void> {
    const file = join(this.o.workspace, LEDGER_FILE);
    const stamp = await stampOf(file);
    if (!stamp || stamp === this.sharedStamp) return;
    await ledger.importJsonl(await readFile(file, 'utf8'));
    this.sharedStamp = stamp;
  }

  private async scan(ledger: AiDiffLedger): Promise<string | undefined> {
    const key = `git.scan:${this.root}`;
    const last = await this.o.state.getState<{ head: string }>(key);
    const res = await scanTrailers(this.git, this.patterns, last?.head);
    this.lastScan = res;
    for (const d of res.diffs) ledger.put(d);
    if (res.head && res.head !== last?.head) await this.o.state.putState(key, { head: res.head });
    return res.head;
  }

  /** Current ranges: anchored files from `REV:path` vs the working copy (cached until
   *  either changes), live files by content hash; live files whose working copy equals
   *  HEAD are then pinned to HEAD (and the diff learns its commit from blame). */
  private async track(ledger: AiDiffLedger, head: string | undefined): Promise<void> {
    const diffs = ledger.list();
    const files = new Set<string>();
    for (const d of diffs) for (const f of d.files) files.add(f.path);
    const stamps = new Map<string, string>();
    for (const p of files) stamps.set(p, await stampOf(join(this.root, p)));

    const need: string[] = [];
    for (const d of diffs) {
      for (const f of d.files) {
        const rev = f.anchor ?? d.commit;
        if (f.origin && rev && this.derived.get(derivedKey(d, rev, f.path))?.stamp !== stamps.get(f.path)) need.push(`${rev}:${f.path}`);
      }
    }
    const old = need.length && !this.gitError ? await this.git.catFiles(need) : new Map<string, string | undefined>();
    const working = new Map<string, string | undefined>();
    const readW = async (p: string) => {
      if (!working.has(p)) working.set(p, await this.readWorking(p));
      return working.get(p);
    };

    for (const d of diffs) {
      for (const f of d.files) {
        const rev = f.anchor ?? d.commit;
        if (!f.origin || !rev) continue;
        const key = derivedKey(d, rev, f.path);
        let got = this.derived.get(key);
        if (!got || got.stamp !== stamps.get(f.path)) {
          const now = await readW(f.path);
          const then = old.get(`${rev}:${f.path}`);
          const t = now === undefined ? { ranges: [], removed: f.origin } : then === undefined ? { ranges: f.ranges, removed: [] } : trackRanges(then, now, f.origin);
          got = { stamp: stamps.get(f.path) ?? '', ranges: t.ranges, removed: t.removed };
          this.derived.set(key, got);
        }
        ledger.setRanges(d, f, got.ranges.map((r) => ({ ...r })), got.removed);
      }
    }
    const liveFiles = new Set<string>();
    for (const p of files) {
      const text = await readW(p);
      if (text !== undefined) ledger.reconcileLive(p, text);
      else for (const d of diffs) for (const f of d.files) if (f.path === p && !f.origin && f.ranges.length) ledger.setRanges(d, f, [], f.ranges);
      if (text !== undefined && diffs.some((d) => d.files.some((f) => f.path === p && !f.origin && f.ranges.length))) liveFiles.add(p);
    }
    if (head && liveFiles.size && !this.gitError) await this.pin(diffs, liveFiles, head, readW);
  }

  private async pin(diffs: AiDiff[], liveFiles: Set<string>, head: string, readW: (p: string) => Promise<string | undefined>): Promise<void> {
    const atHead = await this.git.catFiles([...liveFiles].map((p) => `${head}:${p}`));
    for (const p of liveFiles) {
      const committed = atHead.get(`${head}:${p}`);
      if (committed === undefined || committed !== (await readW(p))) continue;
      for (const d of diffs) {
        for (const f of d.files) {
          if (f.path !== p || f.origin || !f.ranges.length) continue;
          f.origin = f.ranges.map((r) => ({ ...r }));
          f.anchor = head;
          if (!d.commit) await this.learnCommit(d, p, f.ranges[0].start, f.ranges[0].end, head);
        }
      }
    }
  }

  /** Sets `d.commit`/`subject` when blame says one commit wrote all of the range. */
  private async learnCommit(d: AiDiff, path: string, start: number, end: number, head: string): Promise<void> {
    const lines = await this.blame.blame(path, { rev: head, start, end });
    const shas = new Set(lines.map((l) => l.commit));
    if (shas.size !== 1 || lines[0].commit === UNCOMMITTED) return;
    d.commit = lines[0].commit;
    d.subject ??= lines[0].summary;
  }

  private async readWorking(rel: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.root, rel), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw err;
    }
  }
}

/** Tracked ranges are per diff: two diffs anchored at the same revision of one file (an AI
 *  commit and a range marked by hand after it) have different origins. */
function derivedKey(d: AiDiff, rev: string, path: string): string {
  return `${d.id}\0${rev}\0${path}`;
}

async function stampOf(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

function missingAsUndefined(err: unknown): undefined {
  if (err instanceof GitError && err.code === 'bad-revision') return undefined;
  throw err;
}

/** In-memory state for one-shot use (the CLI without a collector, tests). */
export class MemoryState implements DurableState {
  readonly data = new Map<string, string>();
  async getState<T>(key: string): Promise<T | undefined> {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async putState(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
}

