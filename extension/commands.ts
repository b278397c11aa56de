// The palette commands. Each is registered once and disposed with the extension.
import * as vscode from 'vscode';
import { endpointOf, readConfig } from './config';
import type { CollectorSupervisor } from './collectorSupervisor';
import type { Log } from './log';
import { notificationText } from '../collector/text/sinkText';

export interface CommandDeps {
  log: Log;
  supervisor: CollectorSupervisor;
}

export function envVarsFor(endpoint: string): string {
  return [
    `OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`,
    'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    'OTEL_TRACES_EXPORTER=otlp',
    'OTEL_LOGS_EXPORTER=otlp',
    'OTEL_METRICS_EXPORTER=otlp',
  ].join('\n');
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
    const text = envVarsFor(endpointOf(readConfig()));
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage('Copied the OTEL_* variables that point an app at Vibewatch');
    return text;
  });
}
