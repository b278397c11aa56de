// Incidents as a feature: a firing alert opens or joins an incident, a resolved one may
// resolve it; what shipped shortly before (deploys, AI diffs: the git component's
// `ChangeSource`) goes on the timeline, and AI-diff suspects are re-ranked when the failing
// frames of the incident's service change (errors often arrive after the alert).
import type { LocationView } from '../../model/queries';
import type { AnalysisFeature, FeatureContext } from '../feature';
import type { AlertListener } from '../alerts/alertsFeature';
import type { AlertsFeature } from '../alerts/alertsFeature';
import type { AlertView } from '../alerts/types';
import type { ErrorsFeature } from '../errors/errorsFeature';
import type { NotifyFeature } from '../notify/notifyFeature';
import type { RunbooksFeature } from '../runbooks/runbooksFeature';
import type { IncidentsState } from './incidents';
import { IncidentManager } from './incidents';
import type { ChangeEntry, IncidentAction, IncidentView } from './types';

/** Supplied by the git component: deploys and AI diffs shipped in a time window. */
export interface ChangeSource {
  /** `failing`: where the service's recent errors were thrown (error groups' locations),
   *  so AI diffs whose code fails can be suspected first. */
  changesBefore(service: string, fromMs: number, toMs: number, ctx?: { failing: LocationView[] }): Promise<ChangeEntry[]>;
}

export interface IncidentsDeps {
  alerts: AlertsFeature;
  errors: ErrorsFeature;
  runbooks: RunbooksFeature;
  notify: NotifyFeature;
  changes?: ChangeSource;
}

export class IncidentsFeature implements AnalysisFeature, AlertListener {
  readonly name = 'incidents';
  readonly part = 'core';
  readonly topics = ['incidents'] as const;
  private readonly incidents: IncidentManager;
  /** incident id → the failing frames its suspects were last ranked on. */
  private readonly suspectSig = new Map<string, string>();

  constructor(private readonly ctx: FeatureContext, private readonly deps: IncidentsDeps) {
    const s = ctx.settings;
    this.incidents = new IncidentManager({
      minSeverity: s.incidentSeverity, autoResolve: s.autoResolveIncidents, maxIncidents: 500,
      runbooksFor: (ruleIds) => deps.runbooks.idsFor(ruleIds),
      isFiring: (key) => deps.alerts.get(key)?.state === 'firing',
    });
  }

  fired(a: AlertView, nowMs: number): void {
    const r = this.incidents.onAlertFired(a, nowMs);
    if (!r) return;
    this.ctx.changed('incidents');
    this.deps.notify.notify({ type: r.opened ? 'incident.opened' : 'incident.updated', incident: r.incident, change: r.opened ? `opened by ${a.title}` : `${a.title} joined` });
    if (r.opened) this.addChanges(r.incident.id, r.incident.service, nowMs);
  }

  resolved(a: AlertView, nowMs: number): void {
    const inc = this.incidents.onAlertResolved(a, nowMs);
    if (!inc) return;
    this.ctx.changed('incidents');
    this.deps.notify.notify({ type: inc.state === 'resolved' ? 'incident.resolved' : 'incident.updated', incident: inc, change: `alert resolved: ${a.title}` });
  }

  /** Open incidents re-rank their suspects when the failing frames of their service change. */
  flush(): void {
    const services = this.deps.errors.takeErroringServices();
    if (!this.deps.changes || !services.size) return;
    for (const inc of this.incidents.list()) {
      if (inc.state === 'resolved' || !services.has(inc.service)) continue;
      const sig = this.deps.errors.failingLocations(inc.service, inc.openedAtMs - this.ctx.settings.changeWindowMs).map((l) => `${l.file}:${l.line}`).sort().join('|');
      if (this.suspectSig.get(inc.id) === sig) continue;
      this.suspectSig.set(inc.id, sig);
      this.addChanges(inc.id, inc.service, inc.openedAtMs, true);
    }
  }

  private addChanges(incidentId: string, service: string, nowMs: number, suspectsOnly = false): void {
    const src = this.deps.changes;
    if (!src) return;
    const fromMs = nowMs - this.ctx.settings.changeWindowMs;
    const failing = this.deps.errors.failingLocations(service, fromMs);
    src.changesBefore(service, fromMs, nowMs, { failing }).then(
      (changes) => {
        if (!changes.length) return;
        if (suspectsOnly) this.incidents.setSuspects(incidentId, changes);
        else this.incidents.addChanges(incidentId, changes);
        this.ctx.changed('incidents');
        this.ctx.emit();
      },
      (err: unknown) => this.ctx.fail('change lookup', err),
    );
  }

  list(filter: { open?: boolean } = {}): IncidentView[] {
    return filter.open ? this.incidents.open() : this.incidents.list();
  }

  open(): IncidentView[] {
    return this.incidents.open();
  }

  get(id: string): IncidentView | undefined {
    return this.incidents.get(id);
  }

  /** Throws `ActionError` (not_found / bad_request) for a bad request. */
  async action(a: IncidentAction): Promise<IncidentView> {
    const inc = this.incidents.action(a, this.ctx.now());
    const change = a.action === 'note' ? 'note added' : a.action === 'statusUpdate' ? `public update: ${a.status}` : a.action === 'ack' ? 'acknowledged' : 'resolved';
    this.deps.notify.notify({ type: inc.state === 'resolved' && a.action !== 'note' ? 'incident.resolved' : 'incident.updated', incident: inc, change });
    await this.ctx.acted('incidents', 'status');
    return inc;
  }

  save(): IncidentsState {
    return this.incidents.toJSON();
  }

  load(state: unknown): void {
    if (state) this.incidents.load(state as IncidentsState);
  }

  reset(): void {
    this.suspectSig.clear();
    this.incidents.reset();
  }
}
