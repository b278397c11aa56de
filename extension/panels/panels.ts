// The VS Code side of the panels: one singleton webview panel per kind, restored after a
// reload by a registered serializer, updated live from the collector's `changed` events.
import * as vscode from 'vscode';
import { PANEL_NAMES, type PanelFocus, type PanelName, type OpenLocation } from '../../webview/protocol';
import { PanelChannel, type PanelActions, type PanelDataClient } from './channel';
import { PANEL_TITLES, makeNonce, renderPanelHtml } from './html';
import { exportStaticStatus } from '../../collector/status/export';
import { notificationText } from '../../collector/text/sinkText';
import { openSourceInWorkspace } from './openSource';

export const panelViewType = (name: PanelName) => `vibewatch.${name}`;

/** Builds a panel's HTML + CSP for `webview`; assets come from dist/webview only. */
export function buildPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, panelName: PanelName, nonce: string): string {
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  return renderPanelHtml(panelName, webview.cspSource, (f) => webview.asWebviewUri(vscode.Uri.joinPath(root, f)).toString(), nonce);
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

class PanelInstance {
  readonly channel: PanelChannel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly name: PanelName, readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, client: PanelDataClient, actions: PanelActions, onDisposed: () => void) {
    this.channel = new PanelChannel(name, (m) => panel.webview.postMessage(m), client, actions);
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = buildPanelHtml(panel.webview, extensionUri, name, makeNonce());
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m) => void this.channel.receive(m)),
      panel.onDidDispose(() => {
        for (const d of this.disposables) d.dispose();
        onDisposed();
      }),
    );
  }
}

export interface RegisterPanelsOptions {
  /** Override how a location is opened (default: open the file at the line, only if it lies
   *  inside a workspace folder — see sourceLocation.ts). */
  openSource?(location: OpenLocation): Promise<void>;
  /** Runs a suggested runbook (default: the `vibewatch.runRunbook` command). */
  runRunbook?(runbookId: string, incidentId?: string): Promise<void>;
  log?(message: string): void;
  /** Title of the exported status page (default: the workspace name). */
  statusTitle?: string;
}

export interface PanelsApi extends vscode.Disposable {
  /** Opens (or reveals) a panel, optionally focused on something (a trace, an error group…). */
  show(name: PanelName, focus?: PanelFocus): void;
}

/** Registers the panels, their serializers, the `vibewatch.open<Panel>` commands (argument:
 *  an optional PanelFocus) and
 *  `vibewatch.exportStatusPage` (folder picker, or a Uri argument). */
export function registerPanels(context: vscode.ExtensionContext, client: PanelDataClient, options: RegisterPanelsOptions = {}): PanelsApi {
  const open = new Map<PanelName, PanelInstance>();
  const log = options.log ?? ((m: string) => console.warn(`[vibewatch] ${m}`));
  const actions: PanelActions = {
    openSource: options.openSource ?? (async (loc) => void (await openSourceInWorkspace(loc, log))),
    runRunbook: options.runRunbook ?? (async (id, incidentId) => { await vscode.commands.executeCommand('vibewatch.runRunbook', id, incidentId); }),
    warn: log,
    showPanel: (name, focus) => show(name, focus),
  };
  const adopt = (name: PanelName, panel: vscode.WebviewPanel): PanelInstance => {
    const inst = new PanelInstance(name, panel, context.extensionUri, client, actions, () => { if (open.get(name)?.panel === panel) open.delete(name); });
    open.set(name, inst);
    return inst;
  };
  const show = (name: PanelName, focus?: PanelFocus) => {
    let inst = open.get(name);
    if (inst) inst.panel.reveal(undefined, false);
    else inst = adopt(name, vscode.window.createWebviewPanel(panelViewType(name), PANEL_TITLES[name], vscode.ViewColumn.Beside, { ...webviewOptions(context.extensionUri), retainContextWhenHidden: false }));
    if (focus) inst.channel.show(focus);
  };
  const subs: vscode.Disposable[] = [];
  for (const name of PANEL_NAMES) {
    subs.push(vscode.window.registerWebviewPanelSerializer(panelViewType(name), {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        // The panel restores its own focus from its saved webview state.
        open.get(name)?.panel.dispose();
        adopt(name, panel);
      },
    }));
    const cmd = `vibewatch.open${name[0].toUpperCase()}${name.slice(1)}`; // as contributed in package.json
    subs.push(vscode.commands.registerCommand(cmd, (focus?: PanelFocus) => show(name, focus)));
  }
  subs.push(vscode.commands.registerCommand('vibewatch.exportStatusPage', async (target?: vscode.Uri) => {
    const dir = target ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export status page here' }))?.[0];
    if (!dir) return undefined;
    const status = await client.request('status', {});
    const files = await exportStaticStatus(dir.fsPath, status, { title: options.statusTitle ?? vscode.workspace.name ?? 'Service' });
    void vscode.window.showInformationMessage(`Vibewatch: status page exported to ${notificationText(dir.fsPath, 300)} (${files.length} files)`);
    return files;
  }));
  subs.push(client.onChanged((topics) => { for (const inst of open.values()) inst.channel.push({ type: 'changed', topics }); }));
  const api: PanelsApi = {
    show,
    dispose: () => {
      for (const s of subs) s.dispose();
      for (const inst of [...open.values()]) inst.panel.dispose();
      open.clear();
    },
  };
  context.subscriptions.push(api);
  return api;
}
