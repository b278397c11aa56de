// The composition root of the collector process (used by process/main.ts and `vibewatch
// collect`): builds the components in dependency order, each given what it needs, and runs
// them as one plugin of runCollector. Order is the pipeline order:
//   placement → git → analysis (→ team: no processor, a client of a team collector)
// A new component is one file with a `create…(ctx, deps): Component` and one line here.
import { LiveError, type HandlerTable } from '../live/handlers';
import { isSharedStore } from '../store/api';
import type { CollectorPlugin, PluginContext, PluginParts } from '../server/run';
import type { Finding } from '../analysis/types';
import { createAnalysisComponent } from './analysisComponent';
import type { Component } from './component';
import { createGitRuntime } from './gitComponent';
import { createPlacement } from './placementComponent';
import { createTeamComponent } from './teamComponent';

export function composeCollector(ctx: PluginContext): PluginParts {
  const placement = createPlacement(ctx);
  // Git's AI-diff risk reads analysis findings, and analysis reads git: the one late binding,
  // made here and nowhere else.
  let findings: (file: string) => Finding[] = () => [];
  const git = createGitRuntime(ctx, { locator: placement.locator, findings: (file) => findings(file) });
  const analysis = createAnalysisComponent(ctx, { locator: placement.locator, git });
  findings = (file) => analysis.findings(file);
  const team = createTeamComponent(ctx, { remap: git.remap, gitFor: git.gitFor });
  const components: Component[] = [placement, git, analysis, team];

  const handlers: HandlerTable = {};
  for (const c of components) {
    for (const [method, fn] of Object.entries(c.handlers ?? {})) {
      if (method in handlers) throw new Error(`two components define the live method ${method}`);
      (handlers as Record<string, unknown>)[method] = fn;
    }
  }
  // On a shared store the AI-diff figures need the team's analysis (findings, per-revision
  // cells): the holder computes them, every collector serves them, whichever one a
  // teammate's connection reaches behind a load balancer.
  const repoAiDiffs = handlers.repoAiDiffs;
  if (analysis.sharedView && repoAiDiffs) {
    // Published with each checkpoint (30 s by default, the teammates' cache TTL).
    const view = analysis.sharedView('team.repoAiDiffs', () => Promise.resolve(repoAiDiffs({}, { clientId: 0 })));
    handlers.repoAiDiffs = () => view();
  }
  // Clear Data: the store empties, then every component forgets what it derived.
  handlers.clearData = async () => {
    // A team's production data is not one editor's to delete: a shared store refuses.
    if (isSharedStore(ctx.store)) throw new LiveError('forbidden', 'Clear Data is not available on a team collector: its store (ClickHouse) is shared by the whole team. Drop or truncate the database to start over.');
    await ctx.store.clear();
    for (const c of components) await c.reset?.();
    // Every file, error, alert and AI-diff figure changed: no list says it, so clients
    // (other windows too) drop what they hold and refetch.
    ctx.notifyChanged({ resync: true });
    ctx.log({ event: 'data.cleared' });
    return { ok: true as const };
  };
  return {
    processors: components.flatMap((c) => c.processors ?? []),
    handlers,
    routes: components.flatMap((c) => c.routes ?? []),
    start: async () => {
      for (const c of components) await c.start?.();
    },
    shutdown: async () => {
      for (const c of [...components].reverse()) await c.shutdown?.();
    },
  };
}

/** The collector's parts for runCollector (a fresh composition per call). */
export function collectorPlugins(): CollectorPlugin[] {
  return [{ name: 'collector', setup: composeCollector }];
}
