// `vibewatch errors|alerts|incidents|status`: print the analysis state of a running
// collector (through the live protocol), as text or `--json`.
import { CLIENT_OPTIONS, type CliCommand } from './command';
import { withClient } from './collectorCommands';
import type { AlertView, ErrorGroupView, IncidentView, StatusView } from '../analysis/types';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z') : '-');

function formatErrors(list: ErrorGroupView[]): string {
  if (!list.length) return 'no errors\n';
  return list.map((g) => {
    const where = g.location ? `  ${g.location.file}:${g.location.line}` : '';
    return `${g.id}  ${g.state.padEnd(9)}  ×${g.count}  ${g.type}: ${g.title}  [${g.services.join(', ')}]  last ${iso(g.lastSeenMs)}${where}`;
  }).join('\n') + '\n';
}

function formatAlerts(list: AlertView[]): string {
  if (!list.length) return 'no alerts\n';
  return list.map((a) => `${a.state.padEnd(8)}  ${a.severity.padEnd(8)}  ${a.title}  ${a.text}  since ${iso(a.firingSinceMs ?? a.pendingSinceMs)}${a.incidentId ? `  (${a.incidentId})` : ''}`).join('\n') + '\n';
}

function formatIncidents(list: IncidentView[]): string {
  if (!list.length) return 'no incidents\n';
  return list.map((i) => {
    const last = i.publicUpdates[i.publicUpdates.length - 1];
    return `${i.id}  ${i.state.padEnd(12)}  ${i.severity.padEnd(8)}  ${i.title}  opened ${iso(i.openedAtMs)}  public: ${last?.status ?? '-'}${i.runbookIds.length ? `  runbooks: ${i.runbookIds.join(', ')}` : ''}`;
  }).join('\n') + '\n';
}

function formatStatus(s: StatusView): string {
  const lines = [`overall: ${s.overall}`];
  for (const c of s.components) lines.push(`  ${c.name.padEnd(24)} ${c.status.padEnd(22)} uptime ${(c.uptime90d * 100).toFixed(2)}%`);
  for (const i of s.incidents) lines.push(`incident ${i.id}: ${i.title} — ${i.state}${i.updates.length ? `: ${i.updates[i.updates.length - 1].message}` : ''}`);
  return lines.join('\n') + '\n';
}

export const errorsCommand: CliCommand = {
  name: 'errors',
  summary: 'Error groups of a running collector (state, count, where)',
  options: [
    { name: 'service', arg: 'S', help: 'only error groups of this service' },
    { name: 'state', arg: 'new|ongoing|resolved|regressed|ignored', help: 'only groups in this state' },
    { name: 'limit', arg: 'N', help: 'at most N groups' },
    ...CLIENT_OPTIONS,
  ],
  run: (args, io) => withClient(args, io, async (c) => {
    const f = args.flags;
    const limit = typeof f.limit === 'string' ? Number(f.limit) : undefined;
    const list = await c.request('errors', {
      ...(typeof f.service === 'string' ? { service: f.service } : {}),
      ...(typeof f.state === 'string' ? { state: f.state as ErrorGroupView['state'] } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    io.stdout(f.json ? JSON.stringify(list, null, 2) + '\n' : formatErrors(list));
    return 0;
  }),
};

export const alertsCommand: CliCommand = {
  name: 'alerts',
  summary: 'Pending, firing and recently resolved alerts of a running collector',
  options: [{ name: 'state', arg: 'pending|firing|resolved', help: 'only alerts in this state' }, ...CLIENT_OPTIONS],
  run: (args, io) => withClient(args, io, async (c) => {
    const state = typeof args.flags.state === 'string' ? (args.flags.state as AlertView['state']) : undefined;
    const list = await c.request('alerts', state ? { state } : {});
    io.stdout(args.flags.json ? JSON.stringify(list, null, 2) + '\n' : formatAlerts(list));
    return 0;
  }),
};

export const incidentsCommand: CliCommand = {
  name: 'incidents',
  summary: 'Incidents of a running collector (state, severity, public status, runbooks)',
  options: [{ name: 'open', help: 'only incidents not yet resolved' }, ...CLIENT_OPTIONS],
  run: (args, io) => withClient(args, io, async (c) => {
    const list = await c.request('incidents', args.flags.open ? { open: true } : {});
    io.stdout(args.flags.json ? JSON.stringify(list, null, 2) + '\n' : formatIncidents(list));
    return 0;
  }),
};

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Public status of the components (operational … major outage) and incident updates',
  options: CLIENT_OPTIONS,
  run: (args, io) => withClient(args, io, async (c) => {
    const s = await c.request('status', {});
    io.stdout(args.flags.json ? JSON.stringify(s, null, 2) + '\n' : formatStatus(s));
    return 0;
  }),
};

export const commands: CliCommand[] = [errorsCommand, alertsCommand, incidentsCommand, statusCommand];
