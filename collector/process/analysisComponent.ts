// Analysis (collector/analysis): errors, findings, baselines, anomalies, alerts, incidents and
// the status page (served publicly at /status, /status.json, /status/feed.atom). It reads the
// git runtime for AI-diff attribution, deploy and AI-diff changes, and today's stack lines.
import { readFile } from 'node:fs/promises';
import type { AttributionSource } from '../analysis/errors/errorsFeature';
import { aiDiffChanges, combineChanges, deployChanges } from '../analysis/incidents/changes';
import type { Finding } from '../analysis/types';
import { createAnalysis } from '../analysis/wiring';
import { indexUnits, unitLanguageOf, unitsTouched } from '../git/functionIndex';
import { cachedSide } from '../git/revisionLatency';
import type { AiDiff } from '../git/types';
import type { PluginContext } from '../server/run';
import { runtimeHintForLanguage, type Locator } from '../source/locator';
import { statusRoutes } from '../status/routes';
import type { Component } from './component';
import { workspaceOf, type GitRuntime } from './gitComponent';
import { analysisSettings, statusPageSettings, teamAnalysisSettings } from './settings';
import { isSharedStore } from '../store/api';
import { TeamAnalysis } from './teamAnalysis';

export interface Analysis extends Component {
  findings(file: string): Finding[];
  /** On a shared store: a view the analysis holder computes and every collector serves
   *  (teamAnalysis.ts `sharedView`); undefined on a store of one collector. */
  sharedView?: TeamAnalysis['sharedView'];
}

export function createAnalysisComponent({ store, workspaces, config, log, notifyChanged }: PluginContext, deps: { locator: Locator; git: GitRuntime }): Analysis {
  const { git, locator } = deps;
  const rootOf = new Map<string, { ws: string; root: string }>();
  const ledgerDiffs = async (): Promise<AiDiff[]> => {
    const all: AiDiff[] = [];
    for (const ws of workspaces.folders()) {
      const service = git.services.for(ws);
      const list = (await service.ledger()).list();
      for (const d of list) rootOf.set(d.id, { ws, root: service.repoRoot });
      all.push(...list);
    }
    return all;
  };
  const suspectDeps = {
    async sideOf(d: AiDiff, revision: string) {
      const at = rootOf.get(d.id);
      return at && d.commit ? cachedSide(git.gitFor(at.ws))(d.commit, revision) : ('unknown' as const);
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
  const attribution: AttributionSource = {
    async attribute(location) {
      const ws = workspaceOf(workspaces, location.file);
      if (!ws) return undefined;
      const hit = (await git.services.for(ws).ledger()).at(location.file, location.line)[0];
      return hit ? { aiDiffId: hit.id, commit: hit.commit, summary: `AI diff (${hit.tool ?? hit.source})${hit.commit ? ` in ${hit.commit.slice(0, 7)}` : ''}` } : undefined;
    },
  };
  // On a shared (team) store the analysis runs once per team, on the holder of the analysis
  // lease, from every collector's stored records (teamAnalysis.ts) — not on this ingest path.
  const shared = isSharedStore(store) ? store : undefined;
  const wiring = createAnalysis({
    state: store,
    // Its saves go with the team analysis's checkpoint (they must match the cursors).
    periodicSaves: !shared,
    // The span baselines are the store's: folded from its journal, saved in its checkpoint.
    spanSeries: store.series.spans,
    workspaces,
    settings: analysisSettings(config),
    changes: combineChanges(deployChanges(git.deploys), aiDiffChanges(ledgerDiffs, git.deploys, suspectDeps)),
    attribution,
    locateStack: (stack, runtime, revision) => {
      const loc = locator.locateStack(stack, runtimeHintForLanguage(runtime)).location;
      if (!loc) return undefined;
      const today = git.stacks.todayLine(revision, loc.file, loc.line);
      return { file: loc.file, line: today ?? loc.line, column: loc.column, function: loc.function, ...(revision && today === undefined ? { unplaced: true as const } : {}) };
    },
    notifyChanged: (topics) => notifyChanged({ topics }),
    log: (message: string) => log({ event: 'analysis', message }),
  });
  const team = shared
    ? new TeamAnalysis({
        store: shared,
        startAnalysis: () => wiring.start(),
        observe: (batch) => wiring.analyzer.observe(batch),
        observeDeploys: (batch) => git.deploys.observe(batch),
        saveAnalysis: () => wiring.analyzer.save(),
        statusView: async () => wiring.analyzer.features.status.view(),
        stopAnalysis: () => wiring.stop(),
        haltAnalysis: () => wiring.analyzer.halt(),
        log: (event, fields) => log({ event, ...fields }),
        resync: () => notifyChanged({ resync: true }),
        ...teamAnalysisSettings(config),
      })
    : undefined;
  return {
    name: 'analysis',
    findings: (file) => wiring.analyzer.features.findings.list({ file }),
    sharedView: team ? (key, compute, everyMs) => team.sharedView(key, compute, everyMs) : undefined,
    // Saved analysis state loads once the store is open; clients then refetch everything.
    start: async () => {
      if (team) return team.start();
      await wiring.start();
      notifyChanged({ topics: ['errors', 'findings', 'anomalies', 'alerts', 'incidents', 'status'] });
    },
    reset: () => wiring.analyzer.reset(),
    shutdown: () => (team ? team.shutdown() : wiring.stop()),
    processors: shared ? [] : [wiring.processor],
    handlers: wiring.handlers,
    // On a shared store every collector serves the team's page (the holder's).
    routes: statusRoutes(async () => (team ? (await team.statusView()) as Awaited<ReturnType<typeof wiring.analyzer.features.status.view>> : wiring.analyzer.features.status.view()), statusPageSettings(config)),
  };
}
