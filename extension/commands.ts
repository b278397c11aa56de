// The palette commands. Each is registered once and disposed with the extension.
import * as vscode from 'vscode';
import { endpointOf, readConfig, TEAM_TOKEN_SECRET, TELEMETRY_SHOW, type TelemetryShow } from './config';
import type { CollectorSupervisor } from './collectorSupervisor';
import { envVarsFor } from './envVars';
import type { Log } from './log';
import { notificationText } from '../collector/text/sinkText';

export interface CommandDeps {
  log: Log;
  supervisor: CollectorSupervisor;
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { log, supervisor } = deps;
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg('vibewatch.startCollector', () => supervisor.ensure());
  reg('vibewatch.stopCollector', () => supervisor.stop());
  reg('vibewatch.restartCollector', () => supervisor.restart());
  reg('vibewatch.showOutput', () => log.show());
  reg('vibewatch.copyEndpoint', async () => {
    const endpoint = endpointOf(readConfig());
    await vscode.env.clipboard.writeText(endpoint);
    void vscode.window.showInformationMessage(`Copied the OTLP endpoint ${notificationText(endpoint)}`);
    return endpoint;
  });
  // Team mode: the token goes to SecretStorage (never a settings file); the collector this
  // window starts gets it in its environment, so it restarts to take a new one.
  reg('vibewatch.setTeamToken', async (arg?: unknown) => {
    const token = typeof arg === 'string' ? arg : await vscode.window.showInputBox({ title: 'Vibewatch: team collector token', prompt: 'The API key of the team collector (kept in VS Code secret storage)', password: true, ignoreFocusOut: true });
    if (!token) return false;
    await context.secrets.store(TEAM_TOKEN_SECRET, token.trim());
    log.info('team token stored; restarting the collector');
    await supervisor.restart();
    return true;
  });
  reg('vibewatch.clearTeamToken', async () => {
    await context.secrets.delete(TEAM_TOKEN_SECRET);
    await supervisor.restart();
    return true;
  });
  reg('vibewatch.showTeamStatus', async () => {
    const url = readConfig().teamUrl;
    const token = url ? await context.secrets.get(TEAM_TOKEN_SECRET) : undefined;
    const text = !url
      ? 'No team collector is set (vibewatch.team.url).'
      : `Production figures come from the team collector at ${notificationText(url, 200)}${token ? '' : ' (no token stored: run "Vibewatch: Set Team Token")'}; their lines are mapped from the deployed revision onto this working copy.`;
    void vscode.window.showInformationMessage(`Vibewatch: ${text}`);
    return text;
  });
  // The switch between local and production lenses (a user setting, so every window follows).
  reg('vibewatch.chooseTelemetrySource', async (arg?: unknown) => {
    const labels: Record<TelemetryShow, string> = { both: 'Local and production', local: 'Local only (this machine)', production: 'Production only (team collector)' };
    let choice = TELEMETRY_SHOW.find((v) => v === arg);
    if (!choice) {
      const current = readConfig().teamShow;
      const picked = await vscode.window.showQuickPick(TELEMETRY_SHOW.map((v) => ({ label: labels[v], description: v === current ? 'current' : undefined, value: v })), { title: 'Vibewatch: which telemetry the lenses show' });
      choice = picked?.value;
    }
    if (!choice) return undefined;
    await vscode.workspace.getConfiguration('vibewatch').update('team.show', choice, vscode.ConfigurationTarget.Global);
    if (choice !== 'local' && !readConfig().teamUrl) void vscode.window.showInformationMessage('Vibewatch: no team collector is set (vibewatch.team.url), so only local telemetry is shown.');
    return choice;
  });
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('vibewatch.team.url')) void supervisor.restart();
  }));
  reg('vibewatch.copyEnvVars', async () => {
    const text = envVarsFor(readConfig());
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage('Copied the OTEL_* variables that point an app at Vibewatch (OTLP/HTTP, with OTLP/gRPC as an alternative)');
    return text;
  });
}
