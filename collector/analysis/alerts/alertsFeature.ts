// Alerts as a feature: every tick the rules (config) are evaluated over the baselines, the
// findings and the detectors' anomalies and trends; each transition is handed to the
// listeners (notify, incidents) in the order they were added.
import type { AnalysisFeature, FeatureContext } from '../feature';
import type { AnalysisConfig } from '../config';
import type { BaselinesFeature } from '../baselines/baselinesFeature';
import type { DetectorsFeature } from '../detectors/detectorsFeature';
import type { FindingsFeature } from '../findings/findingsFeature';
import type { AlertsState } from './alerts';
import { AlertEngine } from './alerts';
import type { AlertRulesResult, AlertView } from './types';

/** Told of each alert that starts or stops firing, during the tick that saw it. */
export interface AlertListener {
  fired?(alert: AlertView, nowMs: number): void;
  resolved?(alert: AlertView, nowMs: number): void;
}

export interface AlertsDeps {
  config: AnalysisConfig;
  baselines: BaselinesFeature;
  findings: FindingsFeature;
  detectors: DetectorsFeature;
}

export class AlertsFeature implements AnalysisFeature {
  readonly name = 'alerts';
  readonly part = 'core';
  readonly topics = ['alerts'] as const;
  private readonly engine = new AlertEngine();
  private readonly listeners: AlertListener[] = [];

  constructor(private readonly ctx: FeatureContext, private readonly deps: AlertsDeps) {}

  onTransition(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  tick(nowMs: number): void {
    const { config, baselines, findings, detectors } = this.deps;
    const t = this.engine.evaluate(config.rules, { nowMs, baselines: baselines.baselines, findings: findings.list(), anomalies: detectors.anomalies(), trends: detectors.trends() });
    if (t.changed) this.ctx.changed('alerts', 'status');
    for (const a of t.fired) for (const l of this.listeners) l.fired?.(a, nowMs);
    for (const a of t.resolved) for (const l of this.listeners) l.resolved?.(a, nowMs);
  }

  list(filter: { state?: AlertView['state'] } = {}): AlertView[] {
    return this.engine.list().filter((a) => !filter.state || a.state === filter.state);
  }

  rules(): AlertRulesResult {
    return { rules: this.deps.config.rules, errors: this.deps.config.errors };
  }

  firing(): AlertView[] {
    return this.engine.firing();
  }

  get(key: string): AlertView | undefined {
    return this.engine.get(key);
  }

  save(): AlertsState {
    return this.engine.toJSON();
  }

  load(state: unknown): void {
    if (state) this.engine.load(state as AlertsState);
  }

  reset(): void {
    this.engine.reset();
  }
}
