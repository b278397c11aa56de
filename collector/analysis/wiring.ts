// One call that sets the analysis up inside a collector: the Analyzer (state loaded, timers
// started), its pipeline processor and live handlers, workspace folders followed, change
// topics forwarded to live clients. The collector owns the order: start the store first,
// call `stop` in its shutdown hooks before the store closes.
import type { HandlerTable } from '../live/handlers';
import type { ChangeTopic } from '../model/changeTopics';
import type { Processor } from '../pipeline';
import type { AnalyzerDeps } from './analyzer';
import { Analyzer } from './analyzer';
import { analysisHandlers } from './handlers';

export interface AnalysisWiring {
  analyzer: Analyzer;
  processor: { name: 'analysis'; fn: Processor };
  handlers: HandlerTable;
  /** Stops following workspaces and shuts the analyzer down (analyses buffered traces, saves). */
  stop(): Promise<void>;
}

export interface WiringDeps extends Omit<AnalyzerDeps, 'workspaceFolders'> {
  /** The collector's WorkspaceRegistry (folders registered by editors). */
  workspaces?: { folders(): string[]; foldersOf?(clientId: number): string[]; onChange(cb: () => void): () => void };
  /** Forwards changed topics to clients, e.g. `(topics) => collector.live.noteChanged({ topics })`. */
  notifyChanged?: (topics: ChangeTopic[]) => void;
}

/** Builds the analysis without loading its saved state or starting its timers: call
 *  `start()` once the store is open (the collector process does it before admitting ingest). */
export function createAnalysis(deps: WiringDeps): AnalysisWiring & { start(): Promise<void> } {
  const { workspaces, notifyChanged, ...rest } = deps;
  const analyzer = new Analyzer({ ...rest, workspaceFolders: workspaces?.folders() ?? [] });
  let offChange: (() => void) | undefined;
  let offWorkspaces: (() => void) | undefined;
  let stopped: Promise<void> | undefined;
  return {
    analyzer,
    processor: { name: 'analysis', fn: analyzer.processor },
    handlers: analysisHandlers(analyzer.features, { foldersOf: workspaces?.foldersOf ? (id) => workspaces.foldersOf!(id) : undefined }),
    async start() {
      await analyzer.start();
      offChange = notifyChanged ? analyzer.onChange(notifyChanged) : undefined;
      offWorkspaces = workspaces?.onChange(() => {
        analyzer.setWorkspaceFolders(workspaces.folders()).catch((err: unknown) => deps.log?.(`analysis: reading workspace config failed: ${(err as Error).message}`));
      });
    },
    stop: () => (stopped ??= (async () => {
      offWorkspaces?.();
      offChange?.();
      await analyzer.shutdown();
    })()),
  };
}

/** `createAnalysis` + `start`, for callers whose store is already open. */
export async function startAnalysis(deps: WiringDeps): Promise<AnalysisWiring> {
  const wiring = createAnalysis(deps);
  await wiring.start();
  return wiring;
}
