// A pipeline processor that moves telemetry locations from the revision a service runs to
// today's working copy: a span located at orders.ts:40 by a service running abc123 lands
// on the line where that code is now. Runs after collector/source has set `location`.
// Git trouble (not installed, not a repository, a revision not fetched) leaves locations
// as they are and is counted, never thrown: telemetry must not be lost over a line number.
import { dirname } from 'node:path';
import type { Processor } from '../pipeline';
import type { Resource, SourceLocation, TelemetryBatch } from '../model/types';
import { Git, GitError } from './git';
import { revisionOf } from '../model/revision';
import { RevisionLineMapper } from './revisionMapper';

export interface RemapStats {
  remapped: number;
  unchanged: number;
  /** Locations that could not be mapped (revision or file unknown to git). */
  unmapped: number;
  gitErrors: number;
  lastError?: string;
}

export class LineRemapper {
  readonly stats: RemapStats = { remapped: 0, unchanged: 0, unmapped: 0, gitErrors: 0 };
  private readonly repos = new Map<string, Promise<{ root: string; mapper: RevisionLineMapper } | undefined>>();
  /** When a folder last failed to resolve as a repository (ms). */
  private readonly failedAt = new Map<string, number>();

  /** `retryAfterMs`: how long a folder that is not a repository (or a git that failed) is
   *  left alone before it is asked again, so ingest does not spawn git for every batch. */
  constructor(
    private readonly gitFor: (cwd: string) => Git = (cwd) => new Git({ cwd }),
    private readonly retryAfterMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  readonly processor: Processor = async (batch) => {
    await this.remap(batch);
  };

  async remap(batch: TelemetryBatch): Promise<void> {
    const items: { resource: Resource; location?: SourceLocation }[] = [...batch.spans, ...batch.logs];
    // One lookup per (revision, file, line) per batch.
    const memo = new Map<string, Promise<{ line: number; exact: boolean } | undefined>>();
    for (const it of items) {
      const loc = it.location;
      if (!loc) continue;
      const rev = it.resource.revision ?? revisionOf(it.resource.attributes);
      if (!rev) continue;
      const key = `${rev}\0${loc.file}\0${loc.line}`;
      let p = memo.get(key);
      if (!p) memo.set(key, (p = this.mapOne(rev, loc.file, loc.line)));
      const to = await p;
      if (!to) {
        this.stats.unmapped++;
        continue;
      }
      if (to.line === loc.line && to.exact) {
        this.stats.unchanged++;
        continue;
      }
      loc.line = to.line;
      if (!to.exact) loc.confidence = Math.round(loc.confidence * 0.7 * 100) / 100;
      this.stats.remapped++;
    }
  }

  /** Today's line of `file:line` as of `rev`; undefined when git cannot say. Never throws
   *  for git trouble (counted in `stats`). */
  mapLine(rev: string, file: string, line: number): Promise<{ line: number; exact: boolean } | undefined> {
    return this.mapOne(rev, file, line);
  }

  private async mapOne(rev: string, file: string, line: number): Promise<{ line: number; exact: boolean } | undefined> {
    const repo = await this.repoOf(dirname(file));
    if (!repo) return undefined;
    try {
      return await repo.mapper.map(rev, file, line);
    } catch (err) {
      this.noteError(err);
      return undefined;
    }
  }

  private repoOf(dir: string) {
    let p = this.repos.get(dir);
    if (!p) {
      const failed = this.failedAt.get(dir);
      if (failed !== undefined && this.now() - failed < this.retryAfterMs) return Promise.resolve(undefined);
      p = (async () => {
        const git = this.gitFor(dir);
        try {
          return { root: await git.root(), mapper: new RevisionLineMapper(git) };
        } catch (err) {
          this.noteError(err);
          // Not remembered for good: the folder may become a repository (or git be installed).
          this.repos.delete(dir);
          this.failedAt.set(dir, this.now());
          return undefined;
        }
      })();
      this.repos.set(dir, p);
    }
    return p;
  }

  private noteError(err: unknown): void {
    if (!(err instanceof GitError)) throw err;
    this.stats.gitErrors++;
    this.stats.lastError = err.message;
  }
}
