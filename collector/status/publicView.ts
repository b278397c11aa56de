// Projects a StatusView onto exactly the public fields (a whitelist, so a field added to the
// analysis types later is not published by accident) and scrubs every free text.
import type { ComponentStatus, IncidentPublicState, Severity } from '../analysis/types';
import { scrubPublicText } from './scrub';
import type { PublicStatus } from './types';

const COMPONENT_STATUSES: ComponentStatus[] = ['operational', 'degraded_performance', 'partial_outage', 'major_outage'];
const INCIDENT_STATES: IncidentPublicState[] = ['investigating', 'identified', 'monitoring', 'resolved'];
const IMPACTS: Severity[] = ['info', 'warning', 'critical'];
const pick = <T extends string>(v: unknown, allowed: T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);
const num = (v: unknown, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const slug = (v: unknown) => String(v ?? '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 64);

export function toPublicStatus(s: PublicStatus): PublicStatus {
  return {
    overall: pick(s.overall, COMPONENT_STATUSES, 'operational'),
    generatedAtMs: num(s.generatedAtMs, Date.now()),
    components: (s.components ?? []).map((c) => ({
      id: slug(c.id),
      name: scrubPublicText(c.name),
      status: pick(c.status, COMPONENT_STATUSES, 'operational'),
      uptime90d: num(c.uptime90d, 1),
      history: (c.history ?? []).slice(-90).map((d) => ({
        date: /^\d{4}-\d{2}-\d{2}$/.test(String(d.date)) ? d.date : '',
        observedMin: num(d.observedMin),
        degradedMin: num(d.degradedMin),
        partialMin: num(d.partialMin),
        majorMin: num(d.majorMin),
        uptime: num(d.uptime, 1),
      })),
    })),
    incidents: (s.incidents ?? []).map((i) => ({
      id: slug(i.id),
      title: scrubPublicText(i.title),
      impact: pick(i.impact, IMPACTS, 'warning'),
      state: pick(i.state, INCIDENT_STATES, 'investigating'),
      startedAtMs: num(i.startedAtMs),
      ...(i.resolvedAtMs !== undefined ? { resolvedAtMs: num(i.resolvedAtMs) } : {}),
      components: (i.components ?? []).map(slug),
      updates: (i.updates ?? []).map((u) => ({ atMs: num(u.atMs), status: pick(u.status, INCIDENT_STATES, 'investigating'), message: scrubPublicText(u.message) })),
    })),
  };
}
