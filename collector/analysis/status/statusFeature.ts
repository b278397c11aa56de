// The public status as a feature: components (status.json, or one per service seen with
// `publishTelemetryServices`), each one's status from the firing alerts and open incidents,
// and 90 days of uptime recorded every tick.
import type { AnalysisFeature, FeatureContext } from '../feature';
import type { AnalysisConfig } from '../config';
import type { AlertsFeature } from '../alerts/alertsFeature';
import type { BaselinesFeature } from '../baselines/baselinesFeature';
import type { ErrorsFeature } from '../errors/errorsFeature';
import type { IncidentsFeature } from '../incidents/incidentsFeature';
import type { StatusState } from './status';
import { deriveStatus, StatusTracker } from './status';
import type { ComponentStatus, StatusComponentConfig, StatusView } from './types';

export interface StatusDeps {
  config: AnalysisConfig;
  baselines: BaselinesFeature;
  errors: ErrorsFeature;
  alerts: AlertsFeature;
  incidents: IncidentsFeature;
}

export class StatusFeature implements AnalysisFeature {
  readonly name = 'status';
  readonly part = 'core';
  readonly topics = ['status'] as const;
  private readonly tracker = new StatusTracker(90);
  private last = new Map<string, ComponentStatus>();

  constructor(private readonly ctx: FeatureContext, private readonly deps: StatusDeps) {}

  tick(nowMs: number): void {
    const before = this.last;
    const statuses = this.componentStatuses();
    this.tracker.record(statuses, nowMs);
    if ([...statuses].some(([id, s]) => before.get(id) !== s)) this.ctx.changed('status');
    this.last = statuses;
  }

  /** Components from status.json. Without one, none: the status page is public, and any
   *  sender can name a service (publishing components, or declaring an outage of one). The
   *  `publishTelemetryServices` setting opts in to one component per service seen. */
  components(): StatusComponentConfig[] {
    const { config, baselines, errors, alerts } = this.deps;
    if (config.components?.length) return config.components;
    if (!this.ctx.settings.publishTelemetryServices) return [];
    const services = new Set<string>();
    for (const se of baselines.baselines.series.values()) services.add(se.service);
    for (const g of errors.list({ limit: 1000 })) for (const s of g.services) services.add(s);
    for (const a of alerts.list()) if (a.service) services.add(a.service);
    return [...services].sort().map((s) => ({ id: s, name: s, services: [s] }));
  }

  private componentStatuses(): Map<string, ComponentStatus> {
    const { alerts, incidents } = this.deps;
    const firing = alerts.firing();
    const open = incidents.open();
    return new Map(this.components().map((c) => [c.id, deriveStatus(c, firing, open, (k) => alerts.get(k))]));
  }

  /** Public status: no stack traces, paths or attributes. */
  view(nowMs = this.ctx.now()): StatusView {
    return this.tracker.view(this.components(), this.componentStatuses(), this.deps.incidents.list(), (k) => this.deps.alerts.get(k), nowMs);
  }

  save(): StatusState {
    return this.tracker.toJSON();
  }

  /** Runs after the features it reads have loaded (it comes after them in feature order). */
  load(state: unknown): void {
    if (state) this.tracker.load(state as StatusState);
    this.last = this.componentStatuses();
  }

  reset(): void {
    this.tracker.reset();
    this.last = this.componentStatuses();
  }
}
