// Incidents: a firing alert of severity ≥ `minSeverity` opens one, or joins the open incident
// of the same service. Lifecycle triggered → acknowledged → resolved, with a timeline and
// public status updates (investigating → identified → monitoring → resolved).
import type { AlertView } from '../alerts/types';
import type { ChangeEntry, IncidentAction, IncidentView, IncidentPublicState } from './types';
import type { Severity } from '../shared/severity';
import { SEVERITY_RANK } from '../shared/severity';
import { ActionError } from '../errors/errors';

export interface IncidentOptions {
  minSeverity: Severity;
  /** Resolve an incident when every alert that opened or joined it has resolved. */
  autoResolve: boolean;
  /** Runbook ids serving these rule ids. */
  runbooksFor: (ruleIds: string[]) => string[];
  isFiring: (alertKey: string) => boolean;
  maxIncidents: number;
}

export interface IncidentsState {
  counter: number;
  incidents: IncidentView[];
}

const PUBLIC_ORDER: IncidentPublicState[] = ['investigating', 'identified', 'monitoring', 'resolved'];

export class IncidentManager {
  private incidents: IncidentView[] = [];
  private counter = 0;

  constructor(private readonly o: IncidentOptions) {}

  private openFor(service: string): IncidentView | undefined {
    return this.incidents.find((i) => i.state !== 'resolved' && i.service === service);
  }

  /** Returns the incident the alert opened or joined (with `opened`), if any. */
  onAlertFired(a: AlertView, nowMs: number): { incident: IncidentView; opened: boolean } | undefined {
    const service = a.service ?? 'unknown';
    const open = this.openFor(service);
    const entry = { atMs: nowMs, kind: 'alert' as const, text: `Alert firing: ${a.title} — ${a.text}`, alertKey: a.key };
    if (SEVERITY_RANK[a.severity] < SEVERITY_RANK[this.o.minSeverity]) {
      // Below the incident level: recorded on an open incident's timeline, opens nothing.
      if (open) open.timeline.push(entry);
      return undefined;
    }
    if (open) {
      if (!open.alertKeys.includes(a.key)) open.alertKeys.push(a.key);
      if (SEVERITY_RANK[a.severity] > SEVERITY_RANK[open.severity]) open.severity = a.severity;
      open.timeline.push(entry);
      open.runbookIds = this.o.runbooksFor(this.ruleIds(open));
      a.incidentId = open.id;
      return { incident: open, opened: false };
    }
    const number = ++this.counter;
    const inc: IncidentView = {
      id: `inc-${number}`, number, title: `${a.title}: ${a.subject}`, service, severity: a.severity, state: 'triggered',
      openedAtMs: nowMs, alertKeys: [a.key], timeline: [entry],
      publicTitle: `Degraded service: ${service}`,
      publicUpdates: [{ atMs: nowMs, status: 'investigating', message: `We are investigating an issue affecting ${service}.` }],
      runbookIds: [],
    };
    inc.runbookIds = this.o.runbooksFor([a.ruleId]);
    a.incidentId = inc.id;
    this.incidents.unshift(inc);
    if (this.incidents.length > this.o.maxIncidents) this.incidents.length = this.o.maxIncidents;
    return { incident: inc, opened: true };
  }

  private ruleIds(inc: IncidentView): string[] {
    return [...new Set(inc.alertKeys.map((k) => k.split('|')[0]))];
  }

  onAlertResolved(a: AlertView, nowMs: number): IncidentView | undefined {
    const inc = this.incidents.find((i) => i.state !== 'resolved' && i.alertKeys.includes(a.key));
    if (!inc) return undefined;
    inc.timeline.push({ atMs: nowMs, kind: 'alert', text: `Alert resolved: ${a.title} — ${a.subject}`, alertKey: a.key });
    if (this.o.autoResolve && inc.alertKeys.every((k) => !this.o.isFiring(k))) {
      this.resolve(inc, nowMs, 'automatically: all alerts resolved');
    }
    return inc;
  }

  private resolve(inc: IncidentView, nowMs: number, how: string): void {
    inc.state = 'resolved';
    inc.resolvedAtMs = nowMs;
    inc.timeline.push({ atMs: nowMs, kind: 'state', text: `Resolved ${how}` });
    if (inc.publicUpdates[inc.publicUpdates.length - 1]?.status !== 'resolved') {
      inc.publicUpdates.push({ atMs: nowMs, status: 'resolved', message: 'This incident has been resolved.' });
    }
  }

  addChanges(incidentId: string, changes: ChangeEntry[]): void {
    const inc = this.get(incidentId);
    if (!inc) return;
    for (const c of changes) {
      inc.timeline.push({ atMs: c.atMs, kind: c.kind, text: c.text, commit: c.commit, aiDiffId: c.aiDiffId });
    }
    this.setSuspects(incidentId, changes);
  }

  /** Replaces the incident's suspects with the AI diffs of `changes` that carry a suspicion. */
  setSuspects(incidentId: string, changes: ChangeEntry[]): void {
    const inc = this.get(incidentId);
    if (!inc) return;
    const suspects = changes.filter((c) => c.suspect && c.aiDiffId).map((c) => ({ aiDiffId: c.aiDiffId!, commit: c.commit, text: c.text, score: c.suspect!.score, why: c.suspect!.why }));
    if (suspects.length) inc.suspects = suspects.sort((a, b) => b.score - a.score);
    inc.timeline.sort((a, b) => a.atMs - b.atMs);
  }

  action(a: IncidentAction, nowMs: number): IncidentView {
    const inc = this.get(a.incidentId);
    if (!inc) throw new ActionError('not_found', `no incident ${a.incidentId}`);
    const by = 'author' in a && a.author ? ` by ${a.author}` : '';
    switch (a.action) {
      case 'ack':
        if (inc.state !== 'triggered') throw new ActionError('bad_request', `incident ${inc.id} is ${inc.state}, not triggered`);
        inc.state = 'acknowledged';
        inc.acknowledgedAtMs = nowMs;
        inc.timeline.push({ atMs: nowMs, kind: 'state', text: `Acknowledged${by}`, author: a.author });
        break;
      case 'resolve':
        if (inc.state === 'resolved') throw new ActionError('bad_request', `incident ${inc.id} is already resolved`);
        this.resolve(inc, nowMs, by ? by.trim() : 'by a user');
        break;
      case 'note':
        if (!a.text) throw new ActionError('bad_request', 'a note needs text');
        inc.timeline.push({ atMs: nowMs, kind: 'note', text: a.text.slice(0, 4000), author: a.author });
        break;
      case 'statusUpdate': {
        if (!PUBLIC_ORDER.includes(a.status)) throw new ActionError('bad_request', `status must be one of ${PUBLIC_ORDER.join(', ')}`);
        inc.publicUpdates.push({ atMs: nowMs, status: a.status, message: (a.message ?? '').slice(0, 2000) });
        inc.timeline.push({ atMs: nowMs, kind: 'statusUpdate', text: `Public update (${a.status}): ${a.message}` });
        if (a.status === 'resolved' && inc.state !== 'resolved') this.resolve(inc, nowMs, 'with a public update');
        break;
      }
    }
    return inc;
  }

  list(): IncidentView[] {
    return this.incidents;
  }

  open(): IncidentView[] {
    return this.incidents.filter((i) => i.state !== 'resolved');
  }

  get(id: string): IncidentView | undefined {
    return this.incidents.find((i) => i.id === id);
  }

  /** Forgets every incident; numbering starts again at 1 (Clear Data). */
  reset(): void {
    this.load({ counter: 0, incidents: [] });
  }

  toJSON(): IncidentsState {
    return { counter: this.counter, incidents: this.incidents };
  }

  load(s: IncidentsState): void {
    this.counter = s.counter;
    this.incidents = s.incidents;
  }
}
