// Everything the user sees in the editor, wired in one call from activate(): CodeLens,
// diagnostics, hovers, AI-diff decorations, the side views, the alert indicator and
// notifications, Run Runbook…, editor capture of suspected AI edits, and their commands.
// Each part is a Disposable pushed to context.subscriptions.
import * as vscode from 'vscode';
import type { CollectorClient } from './collectorClient';
import type { CollectorSupervisor } from './collectorSupervisor';
import { readConfig } from './config';
import type { Log } from './log';
import type { StatusBarController } from './statusBar';
import { LiveCollectorClient, type SupervisorLike } from './client/liveCollectorClient';
import { AiIndex } from './overlays/aiIndex';
import { AiDecorationsController } from './overlays/aiDecorations';
import { CodeLensController } from './overlays/codeLens';
import { lensSources } from './overlays/lensModel';
import { DiagnosticsController } from './overlays/diagnostics';
import { FileSummaries } from './overlays/fileSummaries';
import { TeamSummaries } from './overlays/teamSummaries';
import { HoverController } from './overlays/hover';
import { AlertsController } from './alerts/alertsController';
import { RunbookRunner } from './runbooks/runRunbook';
import { AiCapture } from './aiCapture/aiCapture';
import { Trees } from './views/trees';
import type { TreeNode } from './views/listTree';
import { labelText, notificationText } from '../collector/text/sinkText';

export interface EditorFeatureDeps {
  log: Pick<Log, 'info' | 'warn' | 'error'>;
  supervisor: SupervisorLike | CollectorSupervisor;
  statusBar: Pick<StatusBarController, 'setFiring'>;
  /** The shared client; when omitted one is created that follows `supervisor`. */
  client?: CollectorClient;
}

/** Handles on the parts, for tests and for the extension's exported API. */
export interface EditorFeatures {
  client: CollectorClient;
  summaries: FileSummaries;
  ai: AiIndex;
  codeLens: CodeLensController;
  diagnostics: DiagnosticsController;
  hover: HoverController;
  aiDecorations: AiDecorationsController;
  alerts: AlertsController;
  trees: Trees;
  runbooks: RunbookRunner;
  capture: AiCapture;
  /** Drops every cache and refetches everything. */
  refresh(): Promise<void>;
  /** Synchronous time registerEditorFeatures took (part of activate()'s 50 ms budget). */
  setupMs: number;
}

type Ctx = Pick<vscode.ExtensionContext, 'subscriptions' | 'globalState'>;

export function registerEditorFeatures(context: Ctx, deps: EditorFeatureDeps): EditorFeatures {
  const t0 = performance.now();
  const { log, statusBar } = deps;
  const subs = context.subscriptions;
  let client = deps.client;
  if (!client) {
    const live = new LiveCollectorClient(deps.supervisor, { log, apiKey: () => readConfig().apiKey, pathMappings: () => readConfig().pathMappings });
    subs.push(live);
    client = live;
  }
  const summaries = new FileSummaries(client, { log });
  const ai = new AiIndex(client, log);
  const team = new TeamSummaries(client, () => readConfig().teamUrl !== '');
  const codeLens = new CodeLensController(summaries, ai, () => readConfig().codeLensEnabled, Date.now, team, () => {
    const cfg = readConfig();
    return lensSources(cfg.teamShow, cfg.teamUrl !== '');
  });
  const diagnostics = new DiagnosticsController(client, summaries, () => readConfig().diagnosticsStaleAfterMinutes, log);
  const hover = new HoverController(summaries, ai);
  const aiDecorations = new AiDecorationsController(summaries, ai, readConfig().aiDecorations);
  const alerts = new AlertsController({ client, statusBar, state: context.globalState, log });
  const productionShown = () => lensSources(readConfig().teamShow, readConfig().teamUrl !== '').production;
  const trees = new Trees({
    client,
    ai,
    alerts,
    production: {
      aiDiffsByCommit: () => (productionShown() ? team.aiDiffsByCommit() : Promise.resolve(new Map())),
      active: productionShown,
      expire: () => team.expireAiDiffs(),
      ttlMs: team.ttlMs,
      onDidChange: team.onDidChange,
    },
  });
  const runbooks = new RunbookRunner(client, undefined, log);
  const capture = new AiCapture({ client, enabled: () => readConfig().captureEdits, onLedgerChanged: () => ai.schedule(0), log });
  subs.push(summaries, team, ai, codeLens, diagnostics, hover, aiDecorations, alerts, trees, capture);
  subs.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('vibewatch.aiDiffs.decorations')) aiDecorations.setEnabled(readConfig().aiDecorations);
  }));

  const c = client;
  const refresh = async () => {
    summaries.invalidateAll();
    await Promise.all([ai.refresh(), diagnostics.refresh(), alerts.refresh(), trees.refreshAll()]);
  };
  const incidentCommand = (action: 'ack' | 'resolve') => async (arg?: unknown): Promise<boolean> => {
    const id = await incidentIdFrom(arg, trees, action);
    if (!id) return false;
    try {
      await c.request('incidentAction', { action, incidentId: id, author: 'vscode' });
    } catch (err) {
      void vscode.window.showErrorMessage(`Vibewatch: could not ${action === 'ack' ? 'acknowledge' : 'resolve'} the incident: ${notificationText((err as Error).message)}`);
      return false;
    }
    await trees.incidents.refresh();
    return true;
  };
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => subs.push(vscode.commands.registerCommand(id, fn));
  reg('vibewatch.markAiSelection', () => capture.markSelection());
  reg('vibewatch.unmarkAiSelection', () => capture.unmarkSelection());
  reg('vibewatch.confirmAiDiff', (arg) => aiDiffIdFrom(arg) && capture.decide(aiDiffIdFrom(arg)!, 'confirm'));
  reg('vibewatch.dismissAiDiff', (arg) => aiDiffIdFrom(arg) && capture.decide(aiDiffIdFrom(arg)!, 'dismiss'));
  reg('vibewatch.toggleAiDecorations', () => {
    aiDecorations.setEnabled(!aiDecorations.isEnabled);
    return aiDecorations.isEnabled;
  });
  reg('vibewatch.acknowledgeIncident', incidentCommand('ack'));
  reg('vibewatch.resolveIncident', incidentCommand('resolve'));
  reg('vibewatch.runRunbook', (id, incidentId) => runbooks.run(typeof id === 'string' ? id : undefined, typeof incidentId === 'string' ? incidentId : undefined));
  reg('vibewatch.clearData', async (arg) => {
    // `{ confirmed: true }` skips the dialog (tests, scripted use).
    const ok = (arg as { confirmed?: boolean } | undefined)?.confirmed === true
      || (await vscode.window.showWarningMessage('Delete all telemetry, error groups, alerts and incidents stored by the collector?', { modal: true }, 'Clear Data')) === 'Clear Data';
    if (!ok) return false;
    await c.request('clearData', {});
    log.info('collector data cleared');
    await refresh();
    return true;
  });
  reg('vibewatch.refresh', refresh);

  const setupMs = performance.now() - t0;
  return { client, summaries, ai, codeLens, diagnostics, hover, aiDecorations, alerts, trees, runbooks, capture, refresh, setupMs };
}

function aiDiffIdFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const data = (arg as TreeNode | undefined)?.data as { aiDiffId?: string } | undefined;
  return data?.aiDiffId;
}

/** An incident id from a command argument (id, tree node) or, failing that, a quick pick. */
async function incidentIdFrom(arg: unknown, trees: Trees, action: 'ack' | 'resolve'): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  const fromNode = ((arg as TreeNode | undefined)?.data as { incidentId?: string } | undefined)?.incidentId;
  if (fromNode) return fromNode;
  await trees.incidents.refresh();
  const open = trees.incidentList.filter((i) => (action === 'ack' ? i.state === 'triggered' : i.state !== 'resolved'));
  if (!open.length) {
    void vscode.window.showInformationMessage(action === 'ack' ? 'No triggered incidents to acknowledge.' : 'No open incidents to resolve.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(open.map((i) => ({ label: `#${i.number} ${labelText(i.title)}`, description: labelText(`${i.state} · ${i.severity} · ${i.service}`), id: i.id })), { title: action === 'ack' ? 'Acknowledge Incident' : 'Resolve Incident' });
  return picked?.id;
}
