// The collector's parts beyond receive-and-store, in pipeline order. Used by both the
// spawned process (process/main.ts) and `vibewatch collect`.
//   source   — places spans and logs in the registered workspaces (collector/source)
//   git      — deploy markers, lines of older revisions mapped to today's, AI-diff ledger
//   analysis — errors, findings, baselines, anomalies, alerts, incidents, status
import type { CollectorPlugin } from '../server/run';
import { Locator } from '../source/locator';
import { AiDiffServices, createGitHandlers } from '../git/handlers';
import { DeployTracker } from '../git/deployTracker';
import { LineRemapper } from '../git/lineRemap';
import { AiPatterns, type AiPatternSpec } from '../git/patterns';

const sourcePlugin: CollectorPlugin = {
  name: 'source',
  setup({ workspaces, config }) {
    // `vibewatch collect --workspace DIR[,DIR]` places telemetry without an editor attached.
    const cliFolders = typeof config.flags.workspace === 'string' ? config.flags.workspace.split(',').filter(Boolean) : [];
    if (cliFolders.length) workspaces.register(0, { folders: cliFolders, pathMappings: {} });
    const locator = new Locator(workspaces);
    // Index the workspace off the ingest path as soon as an editor registers it.
    workspaces.onChange(() => setImmediate(() => locator.prepare()));
    if (cliFolders.length) setImmediate(() => locator.prepare());
    return { processors: [{ name: 'source', fn: (b) => locator.locateBatch(b) }] };
  },
};

const gitPlugin: CollectorPlugin = {
  name: 'git',
  setup({ store, config }) {
    const services = new AiDiffServices(store, { patterns: new AiPatterns(extraPatterns(config.flags['ai-patterns'])) });
    const deploys = new DeployTracker(store);
    const remap = new LineRemapper();
    return {
      processors: [
        { name: 'deploys', fn: deploys.processor },
        { name: 'lineRemap', fn: remap.processor },
      ],
      handlers: createGitHandlers({ services, runtime: store }),
    };
  },
};

/** `--ai-patterns '["regex", …]'` (the vibewatch.aiDiffs.extraPatterns setting): each regex
 *  is matched against the author and against Co-authored-by / Assisted-by / Generated-by. */
export function extraPatterns(flag: string | true | undefined): AiPatternSpec[] {
  if (typeof flag !== 'string' || !flag.trim()) return [];
  let list: unknown;
  try {
    list = JSON.parse(flag);
  } catch (err) {
    throw new Error(`--ai-patterns must be a JSON array of regular expressions: ${(err as Error).message}`);
  }
  if (!Array.isArray(list)) throw new Error('--ai-patterns must be a JSON array of regular expressions');
  return list.filter((x): x is string => typeof x === 'string' && x.length > 0).flatMap((re) => [
    { tool: 'custom', author: re },
    ...['Co-authored-by', 'Assisted-by', 'Generated-by'].map((trailer) => ({ tool: 'custom', trailer, value: re })),
  ]);
}

export const plugins: CollectorPlugin[] = [sourcePlugin, gitPlugin];
