// The palette commands. Each is registered once and disposed with the extension.
import * as vscode from 'vscode';
import { endpointOf, readConfig } from './config';
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
  reg('vibewatch.copyEnvVars', async () => {
    const text = envVarsFor(readConfig());
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage('Copied the OTEL_* variables that point an app at Vibewatch (OTLP/HTTP, with OTLP/gRPC as an alternative)');
    return text;
  });
}
