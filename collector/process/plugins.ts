// The collector's parts beyond receive-and-store, in pipeline order. Used by both the
// spawned process (process/main.ts) and `vibewatch collect`.
//   source   — places spans and logs in the registered workspaces (collector/source)
//   git      — deploy markers, lines of older revisions mapped to today's, AI-diff ledger
//   analysis — errors, findings, baselines, anomalies, alerts, incidents, status;
//              its status is served publicly at /status, /status.json, /status/feed.atom
import type { CollectorConfig } from '../config';
import type { CollectorPlugin } from '../server/run';
import type { WorkspaceRegistry } from '../live/workspaceRegistry';
import { Locator, runtimeHintForLanguage } from '../source/locator';
import { TracePlacement } from '../source/tracePlacement';
import { AiDiffServices, createGitHandlers } from '../git/handlers';
import { DeployTracker } from '../git/deployTracker';
import { LineRemapper } from '../git/lineRemap';
import { StackLineMap } from '../git/stackRemap';
import { extractExceptions } from '../analysis/exceptions';
import { Git } from '../git/git';
import { REVISION_LATENCY_STATE, RevisionLatency, beforeAfterForDiff, cachedSide } from '../git/revisionLatency';
import { measureFile } from '../git/diffMeasure';
import { backfillRevisionLatency } from '../git/backfill';
import { indexUnits, unitLanguageOf, unitsTouched } from '../git/functionIndex';
import { readFile } from 'node:fs/promises';
import { AiPatterns, type AiPatternSpec } from '../git/patterns';
import type { AiDiff } from '../git/types';
import { createAnalysis } from '../analysis/wiring';
import { aiDiffChanges, combineChanges, deployChanges } from '../analysis/changes';
import type { AttributionSource } from '../analysis/analyzer';
import type { AnalysisSettings } from '../analysis/settings';
import type { Finding, Severity } from '../analysis/types';
import { statusRoutes } from '../status/routes';

/** What the plugins of one collector run share: the source plugin's Locator (errors belong
 *  at the throwing line), the git plugin's ledger, deploys and per-revision latency (for
 *  analysis and for "clear data"), the analysis findings (for the AI-diff risk). */
interface Shared {
  locator?: Locator;
  git?: { services: AiDiffServices; deploys: DeployTracker; revisions: RevisionLatency; stacks: StackLineMap };
  findings?: (file: string) => Finding[];
}

/** The registered workspace folder that holds `file` (longest match), if any. */
function workspaceOf(workspaces: WorkspaceRegistry, file: string): string | undefined {
  return workspaces.folders().find((f) => file === f || file.startsWith(f.endsWith('/') ? f : f + '/'));
}

const sourcePlugin = (shared: Shared): CollectorPlugin => ({
  name: 'source',
  setup({ workspaces, config }) {
    // `vibewatch collect --workspace DIR[,DIR]` places telemetry without an editor attached.
    const cliFolders = typeof config.flags.workspace === 'string' ? config.flags.workspace.split(',').filter(Boolean) : [];
    if (cliFolders.length) workspaces.register(0, { folders: cliFolders, pathMappings: {} });
    const locator = new Locator(workspaces);
    shared.locator = locator;
    // Index the workspace off the ingest path as soon as an editor registers it.
    workspaces.onChange(() => setImmediate(() => locator.prepare()));
    if (cliFolders.length) setImmediate(() => locator.prepare());
    const traces = new TracePlacement();
    return { processors: [{ name: 'source', fn: (b) => { locator.locateBatch(b); traces.place(b); } }] };
  },
});

const gitPlugin = (shared: Shared): CollectorPlugin => ({
  name: 'git',
  setup({ store, config, workspaces, log }) {
    const services = new AiDiffServices(store, { patterns: new AiPatterns(extraPatterns(config.aiPatterns ?? [])) });
    const deploys = new DeployTracker(store);
    const remap = new LineRemapper();
    // Per-revision latency at each location: the "before/after" of an AI diff.
    const revisions = new RevisionLatency();
    // Throwing frames mapped to today's lines like spans, for the error groups (analysis).
    const stacks = new StackLineMap(
      (b) => extractExceptions(b).flatMap((o) => (o.stack ? [{ stack: o.stack, runtime: o.runtime, revision: o.revision }] : [])),
      (stack, runtime) => shared.locator?.locateStack(stack, runtimeHintForLanguage(runtime)).location,
      (rev, file, line) => remap.mapLine(rev, file, line),
    );
    shared.git = { services, deploys, revisions, stacks };
    const save = async () => {
      if (!revisions.dirty) return;
      revisions.dirty = false;
      await store.putState(REVISION_LATENCY_STATE, revisions.toJSON());
    };
    let timer: NodeJS.Timeout | undefined;
    const gits = new Map<string, Git>();
    const gitFor = (ws: string) => gits.get(ws) ?? gits.set(ws, new Git({ cwd: ws })).get(ws)!;
    return {
      start: async () => {
        revisions.load(await store.getState(REVISION_LATENCY_STATE));
        // Figures the saved table lacks (a new collector, a lost save) from the stored spans.
        const filled = await backfillRevisionLatency(revisions, store).catch((err: Error) => {
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
        timer = setInterval(() => save().catch((err: Error) => log({ event: 'git.revisionLatency.saveFailed', message: err.message })), 60_000);
        timer.unref();
      },
      shutdown: async () => {
        clearInterval(timer);
        await save();
      },
      processors: [
        { name: 'deploys', fn: deploys.processor },
        { name: 'lineRemap', fn: remap.processor },
        { name: 'stackRemap', fn: stacks.processor },
        { name: 'revisionLatency', fn: revisions.processor },
      ],
      handlers: createGitHandlers({
        services,
        runtime: {
          fileSummary: (file) => store.fileSummary(file),
          async findings(file, ranges) {
            const inRanges = (shared.findings?.(file) ?? []).filter((f) => f.location && ranges.some((r) => r.start <= f.location!.line && f.location!.line <= r.end));
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
        },
      }),
    };
  },
});

const analysisPlugin = (shared: Shared): CollectorPlugin => ({
  name: 'analysis',
  setup({ store, workspaces, config, log, notifyChanged }) {
    const git = shared.git;
    const rootOf = new Map<string, { ws: string; root: string }>();
    const ledgerDiffs = async (): Promise<AiDiff[]> => {
      if (!git) return [];
      const all: AiDiff[] = [];
      for (const ws of workspaces.folders()) {
        const service = git.services.for(ws);
        const list = (await service.ledger()).list();
        for (const d of list) rootOf.set(d.id, { ws, root: service.repoRoot });
        all.push(...list);
      }
      return all;
    };
    const gits = new Map<string, Git>();
    const sideFor = (ws: string) => {
      if (!gits.has(ws)) gits.set(ws, new Git({ cwd: ws }));
      return cachedSide(gits.get(ws)!);
    };
    const suspectDeps = {
      async sideOf(d: AiDiff, revision: string) {
        const at = rootOf.get(d.id);
        return at && d.commit ? sideFor(at.ws)(d.commit, revision) : ('unknown' as const);
      },
      async unitsOf(d: AiDiff) {
        const at = rootOf.get(d.id);
        if (!at) return [];
        const out: { file: string; name: string; start: number; end: number }[] = [];
        for (const f of d.files) {
          if (!f.ranges.length) continue;
          const file = `${at.root.replace(/\/$/, '')}/${f.path}`;
          const lang = unitLanguageOf(file);
          const text = lang ? await readFile(file, 'utf8').catch(() => undefined) : undefined;
          for (const u of unitsTouched(lang && text !== undefined ? indexUnits(text, lang) : [], f.ranges)) out.push({ file, ...u });
        }
        return out;
      },
    };
    const attribution: AttributionSource | undefined = git && {
      async attribute(location) {
        const ws = workspaceOf(workspaces, location.file);
        if (!ws) return undefined;
        const hit = (await git.services.for(ws).ledger()).at(location.file, location.line)[0];
        return hit ? { aiDiffId: hit.id, commit: hit.commit, summary: `AI diff (${hit.tool ?? hit.source})${hit.commit ? ` in ${hit.commit.slice(0, 7)}` : ''}` } : undefined;
      },
    };
    const wiring = createAnalysis({
      state: store,
      workspaces,
      settings: analysisSettings(config),
      changes: git ? combineChanges(deployChanges(git.deploys), aiDiffChanges(ledgerDiffs, git.deploys, suspectDeps)) : undefined,
      attribution,
      locateStack: (stack, runtime, revision) => {
        const loc = shared.locator?.locateStack(stack, runtimeHintForLanguage(runtime)).location;
        if (!loc) return undefined;
        const today = git?.stacks.todayLine(revision, loc.file, loc.line);
        return { file: loc.file, line: today ?? loc.line, column: loc.column, function: loc.function, ...(revision && git && today === undefined ? { unplaced: true as const } : {}) };
      },
      notifyChanged: (areas) => notifyChanged({ areas }),
      log: (message: string) => log({ event: 'analysis', message }),
    });
    shared.findings = (file) => wiring.analyzer.findings({ file });
    // The page reads "<title> status"; `--status-title Shop` names the product.
    const title = typeof config.flags['status-title'] === 'string' ? config.flags['status-title'] : 'Service';
    const refresh = Number(config.flags['status-refresh-sec']);
    const refreshSec = Number.isFinite(refresh) && refresh >= 0 ? refresh : undefined;
    return {
      // Saved analysis state loads once the store is open; clients then refetch everything.
      start: async () => {
        await wiring.start();
        notifyChanged({ areas: ['errors', 'findings', 'anomalies', 'alerts', 'incidents', 'status'] });
      },
      processors: [wiring.processor],
      handlers: {
        ...wiring.handlers,
        clearData: async () => {
          await store.clear();
          await wiring.analyzer.reset();
          git?.revisions.clear();
          // Every file, error, alert and AI-diff figure changed: no list says it, so clients
          // (other windows too) drop what they hold and refetch.
          notifyChanged({ areas: ['spans', 'logs', 'metrics'], resync: true });
          log({ event: 'data.cleared' });
          return { ok: true as const };
        },
      },
      routes: statusRoutes(async () => wiring.analyzer.status(), { title, ...(refreshSec !== undefined ? { refreshSec } : {}) }),
      shutdown: () => wiring.stop(),
    };
  },
});

/** Settings the extension passes on the command line (see extension/collectorSupervisor.ts). */
export function analysisSettings(config: CollectorConfig): Partial<AnalysisSettings> {
  const f = config.flags;
  const num = (k: string) => (typeof f[k] === 'string' && Number.isFinite(Number(f[k])) ? Number(f[k]) : undefined);
  let out: Partial<AnalysisSettings> = {};
  // `--analysis-settings JSON`: any AnalysisSettings fields (the demo shortens the trend
  // window so its memory alert fires within minutes instead of a quarter of an hour).
  if (typeof f['analysis-settings'] === 'string') {
    try {
      out = JSON.parse(f['analysis-settings']) as Partial<AnalysisSettings>;
    } catch (err) {
      throw new Error(`--analysis-settings must be JSON: ${(err as Error).message}`);
    }
  }
  const slow = num('slow-query-ms');
  if (slow !== undefined) out.slowQueryMs = slow;
  const n1 = num('n-plus-one');
  if (n1 !== undefined) out.nPlusOneMin = n1;
  if (typeof f['webhook'] === 'string' && f['webhook']) out.webhooks = [{ url: f['webhook'], format: f['webhook-slack'] ? 'slack' : 'json' }];
  // Opt-in: services seen only in telemetry become public status components.
  if (f['status-publish-services'] === true || f['status-publish-services'] === 'true') out.publishTelemetryServices = true;
  const sev = f['incident-severity'];
  if (sev === 'info' || sev === 'warning' || sev === 'critical') out.incidentSeverity = sev as Severity;
  return out;
}

/** The extra AI patterns (config.aiPatterns, validated by configFrom): each regex is matched
 *  against the author and against Co-authored-by / Assisted-by / Generated-by. */
export function extraPatterns(patterns: readonly string[]): AiPatternSpec[] {
  return patterns.flatMap((re) => [
    { tool: 'custom', author: re },
    ...['Co-authored-by', 'Assisted-by', 'Generated-by'].map((trailer) => ({ tool: 'custom', trailer, value: re })),
  ]);
}

/** The plugins of one collector run, in pipeline order (fresh shared state per call). */
export function collectorPlugins(): CollectorPlugin[] {
  const shared: Shared = {};
  return [sourcePlugin(shared), gitPlugin(shared), analysisPlugin(shared)];
}
