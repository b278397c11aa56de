// Team mode, the teammate's side: this collector connects to a team collector (production
// telemetry, placed in the team's checkout at the deployed revision) as a read-only team
// client, and answers `teamFileSummary` for a local file: the team's figures of the same
// repository path, each line mapped from the team checkout's revision onto this working copy
// by the same revision → today mapping the local spans get (git/lineRemap.ts).
import { readFileSync } from 'node:fs';
import { ConfigError, type CollectorConfig } from '../config';
import type { Git } from '../git/git';
import type { LineRemapper } from '../git/lineRemap';
import { toRelative } from '../git/revisionMapper';
import { LiveClient, liveUrlOf } from '../live/client';
import { LiveError } from '../live/handlers';
import type { LineStats } from '../model/queries';
import type { TeamAiDiffs, TeamFileSummary } from '../model/teamQueries';
import type { PluginContext } from '../server/run';
import type { Component } from './component';
import { workspaceOf } from './gitComponent';

export interface TeamSettings {
  url: string;
  token: string;
}

/** `--team-url` and its token (`--team-token-file` or $VIBEWATCH_TEAM_TOKEN, never argv);
 *  undefined when team mode is off. */
export function teamSettings(config: Pick<CollectorConfig, 'flags'>, env: NodeJS.ProcessEnv = process.env): TeamSettings | undefined {
  const url = config.flags['team-url'];
  if (url === undefined) return undefined;
  if (url === true || !url) throw new ConfigError('--team-url needs a value: the team collector address, http(s)://host[:port]');
  try {
    liveUrlOf(url);
  } catch {
    throw new ConfigError(`--team-url (setting vibewatch.team.url) must be an http(s):// address, not ${JSON.stringify(url)}`);
  }
  const file = config.flags['team-token-file'];
  let token = env.VIBEWATCH_TEAM_TOKEN;
  if (file === true) throw new ConfigError('--team-token-file needs a value');
  if (file !== undefined) {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`--team-token-file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (!token) throw new ConfigError('--team-url needs the team token: $VIBEWATCH_TEAM_TOKEN or --team-token-file (the extension keeps it in its secret storage)');
  return { url, token };
}

export interface TeamDeps {
  remap: LineRemapper;
  gitFor: (workspace: string) => Git;
}

export function createTeamComponent({ config, workspaces, log }: PluginContext, deps: TeamDeps): Component {
  const settings = teamSettings(config);
  const client = settings ? new LiveClient({ url: settings.url, apiKey: settings.token, reconnect: true, maxBackoffMs: 30_000 }) : undefined;
  let lastError: string | undefined;
  const empty = (file: string, unavailable: string): TeamFileSummary => ({ file, lines: [], source: 'team', unmapped: 0, unavailable });
  return {
    name: 'team',
    start: () => {
      if (!client) return;
      client.on('open', () => log({ event: 'team.connected', url: client.url }));
      // Not awaited: the local collector serves whether or not the team one answers.
      client.connect().catch((err: Error) => {
        lastError = err.message;
        log({ event: 'team.unreachable', url: client.url, message: err.message });
      });
    },
    shutdown: () => client?.dispose(),
    handlers: {
      async teamFileSummary(params): Promise<TeamFileSummary> {
        const file = params?.file;
        if (typeof file !== 'string' || !file) throw new LiveError('bad_request', '"file" must be a non-empty string');
        if (!client) return empty(file, 'no team collector is configured (vibewatch.team.url)');
        if (!client.connected) return empty(file, `the team collector is not connected${lastError ? `: ${lastError}` : ''}`);
        const ws = workspaceOf(workspaces, file);
        const git = ws ? deps.gitFor(ws) : undefined;
        const root = git ? await git.root().catch(() => undefined) : undefined;
        if (!root) return empty(file, 'the file is not in a git repository of an open workspace folder');
        const path = toRelative(root, file);
        const team = await client.request('repoFileSummary', { path });
        const lines: LineStats[] = [];
        let unmapped = 0;
        for (const l of team.summary.lines) {
          const to = team.revision ? await deps.remap.mapLine(team.revision, file, l.line) : { line: l.line, exact: false };
          if (!to) unmapped++;
          else lines.push({ ...l, line: to.line });
        }
        lines.sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
        return { file, lines, source: 'team', ...(team.revision ? { revision: team.revision } : {}), unmapped };
      },
      // The team collector's AI diffs by commit: the extension matches them to the local
      // ledger's diffs of the same commit and ranks those by production behaviour.
      async teamAiDiffs(): Promise<TeamAiDiffs> {
        if (!client) return { source: 'team', diffs: [], unavailable: 'no team collector is configured (vibewatch.team.url)' };
        if (!client.connected) return { source: 'team', diffs: [], unavailable: `the team collector is not connected${lastError ? `: ${lastError}` : ''}` };
        const team = await client.request('repoAiDiffs', {});
        return { source: 'team', ...(team.revision ? { revision: team.revision } : {}), diffs: team.diffs };
      },
    },
  };
}
