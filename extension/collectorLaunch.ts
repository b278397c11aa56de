// How the extension starts its collector child and which collectors it trusts. No vscode
// import, so unit tests check these rules against real collector processes.
//   - argv carries no secret: the API key goes in the child's environment (argv of every
//     process is readable by every user through `ps`);
//   - a collector is trusted only when it proves it holds the secret of a storage folder
//     this user owns (live/secretFile.ts, live/auth.ts).
import { defaultStorageDir } from '../collector/config';
import { probeCollector, type ProbeResult } from '../collector/live/probe';
import { secretsOf } from '../collector/live/secretFile';
import type { VibewatchConfig } from './config';

export type LaunchSettings = Pick<VibewatchConfig, 'host' | 'port' | 'grpcPort' | 'allowRemote' | 'apiKey' | 'storage' | 'thresholds' | 'incidentMinSeverity' | 'webhookUrl' | 'slackFormat' | 'aiExtraPatterns' | 'teamUrl'>;

/** The collector process's arguments after the Node options (script first). */
export function collectorArgs(cfg: LaunchSettings, script: string, storage: string, teamToken?: string): string[] {
  const args = [
    script,
    '--host', cfg.host,
    '--port', String(cfg.port),
    '--grpc-port', String(cfg.grpcPort),
    '--storage', storage,
    '--retention-hours', String(cfg.storage.maxAgeHours),
    '--max-storage-mb', String(cfg.storage.maxSizeMb),
    '--aggregate-retention-days', String(cfg.storage.aggregateRetentionDays),
    '--slow-query-ms', String(cfg.thresholds.slowQueryMs),
    '--n-plus-one', String(cfg.thresholds.nPlusOne),
    '--incident-severity', cfg.incidentMinSeverity,
  ];
  // Without a key the collector refuses remote mode (exit 2): the user sees why.
  if (cfg.allowRemote) args.push('--allow-remote');
  if (cfg.webhookUrl) args.push('--webhook', cfg.webhookUrl);
  if (cfg.slackFormat) args.push('--webhook-slack');
  if (cfg.aiExtraPatterns.length) args.push('--ai-patterns', JSON.stringify(cfg.aiExtraPatterns));
  // Only with a token: without one the collector would refuse to start (exit 2).
  if (cfg.teamUrl && teamToken) args.push('--team-url', cfg.teamUrl);
  return args;
}

/** The child's environment: the parent's, with the API key set from the settings only and
 *  the team token (from SecretStorage) only when a team collector is configured. */
export function collectorEnv(cfg: LaunchSettings, base: NodeJS.ProcessEnv, teamToken?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ELECTRON_RUN_AS_NODE: '1' };
  // An inherited key, token or remote flag must not switch modes behind the settings' back.
  delete env.VIBEWATCH_API_KEY;
  delete env.VIBEWATCH_ALLOW_REMOTE;
  delete env.VIBEWATCH_TEAM_TOKEN;
  if (cfg.allowRemote && cfg.apiKey) env.VIBEWATCH_API_KEY = cfg.apiKey;
  if (cfg.teamUrl && teamToken) env.VIBEWATCH_TEAM_TOKEN = teamToken;
  return env;
}

/**
 * The storage folders whose collector this window trusts: its own (what it spawns), then
 * the folder `vibewatch collect` uses by default (a collector the user started by hand).
 */
export function trustedStorages(own: string, env: NodeJS.ProcessEnv): string[] {
  return [...new Set([own, defaultStorageDir(env)])];
}

export type TrustedProbe = ProbeResult extends infer R ? (R extends { kind: 'vibewatch' } ? R & { storage: string } : R) : never;

/** Probes host:port; "vibewatch" only for a collector proving one of the folders' secrets (and says which folder). */
export async function probeTrusted(host: string, port: number, storages: readonly string[], timeoutMs = 1500): Promise<TrustedProbe> {
  const { found } = secretsOf(storages);
  const p = await probeCollector(host, port, timeoutMs, found.map((f) => f.secret));
  if (p.kind !== 'vibewatch') return p;
  return { ...p, storage: found.find((f) => f.secret === p.secret)!.storage };
}
