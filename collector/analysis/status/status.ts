// Status components and their state, derived from firing alerts and open incidents:
//   open critical incident                     → major_outage
//   firing critical alert, or any open incident → partial_outage
//   firing warning alert                       → degraded_performance
//   (info alerts do not change a component's status)
// Components come from `<workspace>/.vibewatch/status.json` ({ "components": [{ id, name,
// services?, routes? }] }); without one, none unless the publishTelemetryServices setting
// opts in to one per service seen (the Analyzer decides). Incidents are public only when
// they affect a listed component.
// Daily uptime is accumulated from observed time only (minutes while the collector ran).
import type { AlertView } from '../alerts/types';
import type { ComponentStatus, ComponentView, PublicIncidentView, StatusComponentConfig, StatusView, UptimeDay } from './types';
import type { IncidentView } from '../incidents/types';
import { STATUS_RANK } from './types';
import { globMatch } from '../shared/glob';

const DAY_MS = 86_400_000;
const MAX_GAP_MS = 5 * 60_000;
const PUBLIC_RECENT_MS = 7 * DAY_MS;

export function validateStatusConfig(raw: unknown): { components: StatusComponentConfig[]; errors: string[] } {
  const errors: string[] = [];
  const list = typeof raw === 'object' && raw !== null ? (raw as { components?: unknown }).components : undefined;
  if (!Array.isArray(list)) return { components: [], errors: ['status.json: "components" must be an array'] };
  const components: StatusComponentConfig[] = [];
  for (const c of list) {
    const o = c as Partial<StatusComponentConfig> | null;
    if (!o || typeof o.id !== 'string' || typeof o.name !== 'string') {
      errors.push('status.json: each component needs a string "id" and "name"');
      continue;
    }
    const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
    components.push({ id: o.id, name: o.name, services: strs(o.services), routes: strs(o.routes) });
  }
  return { components, errors };
}

export function alertMatches(c: StatusComponentConfig, a: { service?: string; subject: string }): boolean {
  const service = a.service ?? '';
  if (c.services?.length && !c.services.some((g) => globMatch(g, service))) return false;
  if (c.routes?.length) {
    const endpoint = a.subject.startsWith(`${service} `) ? a.subject.slice(service.length + 1) : a.subject;
    const route = endpoint.replace(/^[A-Z]+ /, '');
    return c.routes.some((g) => globMatch(g, endpoint) || globMatch(g, route));
  }
  return !!c.services?.length;
}

export function deriveStatus(c: StatusComponentConfig, firing: AlertView[], open: IncidentView[], alertsByKey: (k: string) => AlertView | undefined): ComponentStatus {
  let s: ComponentStatus = 'operational';
  const raise = (x: ComponentStatus) => {
    if (STATUS_RANK[x] > STATUS_RANK[s]) s = x;
  };
  for (const a of firing) {
    if (!alertMatches(c, a)) continue;
    if (a.severity === 'critical') raise('partial_outage');
    else if (a.severity === 'warning') raise('degraded_performance');
  }
  for (const inc of open) {
    const hit = inc.alertKeys.some((k) => {
      const a = alertsByKey(k);
      return a ? alertMatches(c, a) : false;
    }) || (!c.routes?.length && alertMatches(c, { service: inc.service, subject: inc.service }));
    if (hit) raise(inc.severity === 'critical' ? 'major_outage' : 'partial_outage');
  }
  return s;
}

export interface StatusState {
  lastRecordMs: number;
  days: [string, UptimeDay[]][];
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class StatusTracker {
  private readonly days = new Map<string, UptimeDay[]>();
  private lastRecordMs = 0;

  constructor(private readonly keepDays = 90) {}

  /** Adds the time since the last call to each component's day under its current status. */
  record(statuses: Map<string, ComponentStatus>, nowMs: number): void {
    const from = this.lastRecordMs && nowMs - this.lastRecordMs <= MAX_GAP_MS ? this.lastRecordMs : nowMs;
    this.lastRecordMs = nowMs;
    if (nowMs <= from) return;
    for (const [id, st] of statuses) {
      let t = from;
      while (t < nowMs) {
        const end = Math.min(nowMs, (Math.floor(t / DAY_MS) + 1) * DAY_MS);
        const day = this.day(id, dayOf(t));
        const min = (end - t) / 60_000;
        day.observedMin += min;
        if (st === 'degraded_performance') day.degradedMin += min;
        if (st === 'partial_outage') day.partialMin += min;
        if (st === 'major_outage') day.majorMin += min;
        day.uptime = day.observedMin ? Math.max(0, 1 - (day.majorMin + 0.3 * day.partialMin) / day.observedMin) : 1;
        t = end;
      }
    }
  }

  private day(id: string, date: string): UptimeDay {
    let list = this.days.get(id);
    if (!list) this.days.set(id, (list = []));
    let d = list.find((x) => x.date === date);
    if (!d) {
      d = { date, observedMin: 0, degradedMin: 0, partialMin: 0, majorMin: 0, uptime: 1 };
      list.push(d);
      list.sort((a, b) => a.date.localeCompare(b.date));
      if (list.length > this.keepDays) list.splice(0, list.length - this.keepDays);
    }
    return d;
  }

  view(components: StatusComponentConfig[], statuses: Map<string, ComponentStatus>, incidents: IncidentView[], alertsByKey: (k: string) => AlertView | undefined, nowMs: number): StatusView {
    const comps: ComponentView[] = components.map((c) => {
      const history = this.days.get(c.id) ?? [];
      const obs = history.reduce((a, d) => a + d.observedMin, 0);
      const down = history.reduce((a, d) => a + d.majorMin + 0.3 * d.partialMin, 0);
      return { id: c.id, name: c.name, status: statuses.get(c.id) ?? 'operational', uptime90d: obs ? 1 - down / obs : 1, history };
    });
    let overall: ComponentStatus = 'operational';
    for (const c of comps) if (STATUS_RANK[c.status] > STATUS_RANK[overall]) overall = c.status;
    const pub: PublicIncidentView[] = incidents
      .filter((i) => i.state !== 'resolved' || nowMs - (i.resolvedAtMs ?? 0) < PUBLIC_RECENT_MS)
      .map((i) => ({
        id: i.id, title: i.publicTitle, impact: i.severity,
        state: i.publicUpdates[i.publicUpdates.length - 1]?.status ?? 'investigating',
        startedAtMs: i.openedAtMs, resolvedAtMs: i.resolvedAtMs,
        components: components.filter((c) => i.alertKeys.some((k) => { const a = alertsByKey(k); return a ? alertMatches(c, a) : false; }) || (!c.routes?.length && alertMatches(c, { service: i.service, subject: i.service }))).map((c) => c.id),
        updates: i.publicUpdates.map((u) => ({ atMs: u.atMs, status: u.status, message: u.message })),
      }))
      // Incidents open from telemetry alone; only those affecting a published component are
      // public, so a sender cannot announce an outage of a service the page does not list.
      .filter((p) => p.components.length > 0);
    return { overall, components: comps, incidents: pub, generatedAtMs: nowMs };
  }

  /** Forgets the uptime history (Clear Data). */
  reset(): void {
    this.load({ lastRecordMs: 0, days: [] });
  }

  toJSON(): StatusState {
    return { lastRecordMs: this.lastRecordMs, days: [...this.days] };
  }

  load(s: StatusState): void {
    this.lastRecordMs = s.lastRecordMs;
    this.days.clear();
    for (const [k, v] of s.days) this.days.set(k, v);
  }
}
