// Typed view of the `vibewatch.*` settings. Read on demand (cheap) so a settings change is
// seen at the next use; `onDidChangeConfiguration` listeners decide what to restart.
import * as vscode from 'vscode';
import { urlHost } from './envVars';

export interface VibewatchConfig {
  host: string;
  port: number;
  /** OTLP/gRPC receiver port; 0 = off. */
  grpcPort: number;
  autoStart: boolean;
  allowRemote: boolean;
  apiKey: string;
  storage: { maxAgeHours: number; maxSizeMb: number; aggregateRetentionDays: number };
  thresholds: { slowQueryMs: number; nPlusOne: number };
  codeLensEnabled: boolean;
  diagnosticsStaleAfterMinutes: number;
  aiDecorations: boolean;
  captureEdits: boolean;
  aiExtraPatterns: string[];
  pathMappings: Record<string, string>;
  webhookUrl: string;
  slackFormat: boolean;
  incidentMinSeverity: 'info' | 'warning' | 'critical';
  /** A team collector (production telemetry); its token lives in SecretStorage. */
  teamUrl: string;
  /** Which lenses show when a team collector is set (`vibewatch.team.show`). */
  teamShow: TelemetryShow;
}

export const TELEMETRY_SHOW = ['both', 'local', 'production'] as const;
export type TelemetryShow = (typeof TELEMETRY_SHOW)[number];

/** The SecretStorage key of the team collector's token (never in settings files). */
export const TEAM_TOKEN_SECRET = 'vibewatch.team.token';

export function readConfig(): VibewatchConfig {
  const c = vscode.workspace.getConfiguration('vibewatch');
  return {
    host: c.get('collector.host', '127.0.0.1'),
    port: c.get('collector.port', 4318),
    grpcPort: c.get('collector.grpcPort', 4317),
    autoStart: c.get('collector.autoStart', true),
    allowRemote: c.get('collector.allowRemote', false),
    apiKey: c.get('collector.apiKey', ''),
    storage: {
      maxAgeHours: c.get('storage.maxAgeHours', 24),
      maxSizeMb: c.get('storage.maxSizeMb', 500),
      aggregateRetentionDays: c.get('storage.aggregateRetentionDays', 30),
    },
    thresholds: { slowQueryMs: c.get('thresholds.slowQueryMs', 200), nPlusOne: c.get('thresholds.nPlusOne', 10) },
    codeLensEnabled: c.get('codeLens.enabled', true),
    diagnosticsStaleAfterMinutes: c.get('diagnostics.staleAfterMinutes', 60),
    aiDecorations: c.get('aiDiffs.decorations', true),
    captureEdits: c.get('aiDiffs.captureEdits', true),
    aiExtraPatterns: c.get('aiDiffs.extraPatterns', []),
    pathMappings: c.get('pathMappings', {}),
    webhookUrl: c.get('alerts.webhookUrl', ''),
    slackFormat: c.get('alerts.slackFormat', false),
    incidentMinSeverity: c.get('incidents.minSeverity', 'critical'),
    teamUrl: c.get('team.url', ''),
    teamShow: oneOf(c.get('team.show', 'both'), TELEMETRY_SHOW, 'both'),
  };
}

/** The OTLP/HTTP base URL an app should export to. */
export function endpointOf(cfg: Pick<VibewatchConfig, 'host' | 'port'>): string {
  return `http://${urlHost(cfg.host)}:${cfg.port}`;
}

/** A setting's value when it is one of `allowed` (a hand-edited settings file may hold anything). */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly unknown[]).includes(value) ? (value as T) : fallback;
}
