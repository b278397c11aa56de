// Entry point. `activate` does little synchronous work: it creates the controllers and
// registers commands; connecting to (or starting) the collector happens asynchronously.
// Every registration ends up in context.subscriptions.
import * as vscode from 'vscode';
import { CollectorSupervisor } from './collectorSupervisor';
import { Log } from './log';
import { StatusBarController } from './statusBar';
import { registerCommands } from './commands';

/** What the extension exposes to tests and to other extensions. */
export interface VibewatchApi {
  supervisor: CollectorSupervisor;
  statusBar: StatusBarController;
  ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): VibewatchApi {
  const log = new Log();
  const supervisor = new CollectorSupervisor(context, log);
  const statusBar = new StatusBarController();
  context.subscriptions.push(log, supervisor, statusBar, supervisor.onDidChangeState((s) => statusBar.setCollectorState(s)));
  registerCommands(context, { log, supervisor });

  const ready = supervisor.ensure().then(
    (s) => log.info(`collector state: ${s.kind}`),
    (err) => log.error('could not start or attach to the collector', err),
  );
  return { supervisor, statusBar, ready };
}

export function deactivate(): void {
  // Disposables in context.subscriptions stop the child collector (SIGTERM → flush and seal).
}
