// Entry point. `activate` does little synchronous work: it creates the controllers and
// registers commands, panels and editor features; connecting to (or starting) the
// collector happens asynchronously. Every registration ends up in context.subscriptions.
import * as vscode from 'vscode';
import { CollectorSupervisor } from './collectorSupervisor';
import { Log } from './log';
import { StatusBarController } from './statusBar';
import { registerCommands } from './commands';
import { readConfig } from './config';
import { LiveCollectorClient } from './client/liveCollectorClient';
import { registerPanels, type PanelsApi } from './panels/panels';
import { panelClientFromLive } from './panels/liveAdapter';
import { registerEditorFeatures, type EditorFeatures } from './editorFeatures';

/** What the extension exposes to tests and to other extensions. */
export interface VibewatchApi {
  supervisor: CollectorSupervisor;
  statusBar: StatusBarController;
  client: LiveCollectorClient;
  panels: PanelsApi;
  editor: EditorFeatures;
  /** Synchronous time activate() took, in ms (budget: 50). */
  activateMs: number;
  ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): VibewatchApi {
  const t0 = performance.now();
  const log = new Log();
  const supervisor = new CollectorSupervisor(context, log);
  const statusBar = new StatusBarController();
  context.subscriptions.push(log, supervisor, statusBar, supervisor.onDidChangeState((s) => statusBar.setCollectorState(s)));
  registerCommands(context, { log, supervisor });

  // One connection to the collector, shared by the overlays, views and panels.
  const client = new LiveCollectorClient(supervisor, { log, apiKey: () => readConfig().apiKey, pathMappings: () => readConfig().pathMappings });
  context.subscriptions.push(client);
  const folders = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  // registerPanels puts its own registrations in context.subscriptions.
  const panels = registerPanels(context, panelClientFromLive(client, folders), { log: (m) => log.warn(`[panels] ${m}`) });
  const editor = registerEditorFeatures(context, { log, supervisor, statusBar, client });

  const ready = supervisor.ensure().then(
    (s) => log.info(`collector state: ${s.kind}`),
    (err) => log.error('could not start or attach to the collector', err),
  );
  const activateMs = performance.now() - t0;
  log.info(`activated in ${activateMs.toFixed(1)} ms`);
  return { supervisor, statusBar, client, panels, editor, activateMs, ready };
}

export function deactivate(): void {
  // Disposables in context.subscriptions stop the child collector (SIGTERM → flush and seal).
}
