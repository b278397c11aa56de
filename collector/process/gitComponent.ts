// Git at runtime (collector/git): deploy markers, lines of older revisions mapped to today's,
// error stacks mapped the same way, per-revision latency (before/after), the AI-diff ledger
// and its live methods.
import { isSharedStore } from '../store/api';
import { readFile } from 'node:fs/promises';
import { extractExceptions } from '../analysis/errors/exceptions';
import type { Finding } from '../analysis/types';
import { backfillRevisionLatency } from '../git/backfill';
import { DeployTracker } from '../git/deployTracker';
import { measureFile } from '../git/diffMeasure';
import { Git } from '../git/git';
import { AiDiffServices, createGitHandlers } from '../git/handlers';
import { checkRepoPath, repoAiDiffsOf, repoFileSummary } from '../git/repoSummary';
import { withRuntime, type AiDiffRuntimeSource } from '../git/runtime';
import { LiveError } from '../live/handlers';
import { LineRemapper } from '../git/lineRemap';
import { AiPatterns } from '../git/patterns';
import { REVISION_LATENCY_STATE, RevisionLatency, beforeAfterForDiff, cachedSide, type LegacyRevisionState } from '../git/revisionLatency';
import { StackLineMap } from '../git/stackRemap';
import type { WorkspaceRegistry } from '../live/workspaceRegistry';
import type { PluginContext } from '../server/run';
import { runtimeHintForLanguage, type Locator } from '../source/locator';
import type { Component } from './component';
import { extraPatterns } from './settings';

export interface GitRuntime extends Component {
  services: AiDiffServices;
  /** Lines of older revisions mapped to today's working copy (also for team figures). */
  remap: LineRemapper;
  deploys: DeployTracker;
  revisions: RevisionLatency;
  stacks: StackLineMap;
  /** A Git per workspace folder, shared by everything that asks git in this process. */
  gitFor(workspace: string): Git;
}

export interface GitDeps {
  locator: Locator;
  /** The analysis findings located in one file (for the AI-diff risk); bound by the
   *  composition root once analysis exists (analysis itself reads the ledger). */
  findings: (file: string) => Finding[];
}

/** The registered workspace folder that holds `file` (longest match), if any. */
export function workspaceOf(workspaces: WorkspaceRegistry, file: string): string | undefined {
  return workspaces.folders().find((f) => file === f || file.startsWith(f.endsWith('/') ? f : f + '/'));
}

export function createGitRuntime({ store, config, workspaces, log, notifyChanged }: PluginContext, deps: GitDeps): GitRuntime {
  const gits = new Map<string, Git>();
  const gitFor = (ws: string) => gits.get(ws) ?? gits.set(ws, new Git({ cwd: ws })).get(ws)!;
  const services = new AiDiffServices(store, {
    gitFor,
    patterns: new AiPatterns(extraPatterns(config.aiPatterns ?? [])),
    // Every window's lenses and AI Diffs view follow a change made in any of them.
    onLedgerChanged: () => notifyChanged({ topics: ['aiDiffs'] }),
  });
  const deploys = new DeployTracker(store);
  const remap = new LineRemapper();
  // Per-revision latency at each location: the "before/after" of an AI diff, read from the
  // store's time series (folded from the journal with the lens lines, one checkpoint).
  const revisions = new RevisionLatency(store.series.revisions);
  // Throwing frames mapped to today's lines like spans, for the error groups (analysis).
  const stacks = new StackLineMap(
    (b) => extractExceptions(b).flatMap((o) => (o.stack ? [{ stack: o.stack, runtime: o.runtime, revision: o.revision }] : [])),
    (stack, runtime) => deps.locator.locateStack(stack, runtimeHintForLanguage(runtime)).location,
    (rev, file, line) => remap.mapLine(rev, file, line),
  );
  // Runtime numbers of AI diffs: the store's figures, analysis findings, per-revision cells.
  const runtime: AiDiffRuntimeSource = {
    fileSummary: (file) => store.fileSummary(file),
    async findings(file, ranges) {
      const inRanges = deps.findings(file).filter((f) => f.location && ranges.some((r) => r.start <= f.location!.line && f.location!.line <= r.end));
      return { slowQueries: inRanges.filter((f) => f.kind === 'slowQuery').length, nPlusOnes: inRanges.filter((f) => f.kind !== 'slowQuery').length };
    },
    async beforeAfter(file, ranges, diff) {
      const ws = workspaceOf(workspaces, file);
      return ws ? beforeAfterForDiff(revisions, gitFor(ws), file, ranges, diff) : undefined;
    },
    async measure(file, ranges, diff) {
      const ws = workspaceOf(workspaces, file);
      if (!ws) return undefined;
      // Today's text: spans are already remapped to today's lines (lineRemap above).
      const text = await readFile(file, 'utf8').catch(() => undefined);
      return measureFile(revisions, file, text, ranges, diff.commit, cachedSide(gitFor(ws)));
    },
  };
  return {
    name: 'git',
    services,
    remap,
    deploys,
    revisions,
    stacks,
    gitFor,
    start: async () => {
      // A table saved by an older collector under its own state key: moved into the series
      // once (cells the checkpoint or the journal did not refill), then dropped.
      const legacy = await store.getState<LegacyRevisionState>(REVISION_LATENCY_STATE);
      if (legacy !== undefined) {
        const moved = revisions.loadLegacy(legacy);
        await store.putState(REVISION_LATENCY_STATE, undefined);
        log({ event: 'git.revisionLatency.migrated', cells: moved });
      }
      // Figures the saved table lacks (a new collector, a lost save) from the stored spans.
      // A shared store's series are folded from every stored record by the team analysis,
      // which is that backfill.
      const filled = isSharedStore(store) ? undefined : await backfillRevisionLatency(revisions, store).catch((err: Error) => {
        log({ event: 'git.revisionLatency.backfillFailed', message: err.message });
        return undefined;
      });
      if (filled?.spans) log({ event: 'git.revisionLatency.backfilled', spans: filled.spans, read: filled.read });
      // The ledger is scanned at start (and when folders change), not only when someone
      // asks for `aiDiffs`: incidents need it to name suspects.
      const scan = () => {
        for (const ws of workspaces.folders()) services.for(ws).refresh().catch((err: Error) => log({ event: 'git.ledger.scanFailed', message: err.message }));
      };
      scan();
      workspaces.onChange(() => setImmediate(scan));
    },
    // No reset or shutdown of its own: the cells are the store's (Clear Data empties them,
    // the store's checkpoint saves them).
    processors: [
      // On a shared store deploy markers are the team's: the team analysis notes them from
      // every collector's records (teamAnalysis.ts), so collectors do not overwrite each other's.
      ...(isSharedStore(store) ? [] : [{ name: 'deploys', fn: deploys.processor }]),
      { name: 'lineRemap', fn: remap.processor },
      { name: 'stackRemap', fn: stacks.processor },
    ],
    handlers: {
      // On a team collector: production figures of a repository path (model/teamQueries.ts).
      repoFileSummary: async (params) => {
        let path: string;
        try {
          path = checkRepoPath(params?.path);
        } catch (err) {
          throw new LiveError('bad_request', (err as Error).message);
        }
        return repoFileSummary({ folders: () => workspaces.folders(), gitFor, fileSummary: (f) => store.fileSummary(f) }, path);
      },
      // On a team collector: its commit-anchored AI diffs measured on production spans.
      repoAiDiffs: async () => {
        for (const ws of workspaces.folders()) {
          const git = gitFor(ws);
          if (!(await git.root().catch(() => undefined))) continue;
          const result = await withRuntime(await services.for(ws).refresh(), runtime);
          return { ...(result.head ? { revision: result.head } : {}), diffs: repoAiDiffsOf(result.diffs) };
        }
        return { diffs: [] };
      },
      ...createGitHandlers({ services, runtime }),
    },
  };
}
