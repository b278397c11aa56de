// Anomaly and trend detection as a feature: every tick, each baseline series' finished
// minutes are scored (detectors.ts: robust scores and linear trends from anomaly.ts).
import type { AnalysisFeature, FeatureContext } from '../feature';
import type { BaselinesFeature } from '../baselines/baselinesFeature';
import type { DetectorsState } from './detectors';
import { Detectors } from './detectors';
import type { AnomaliesResult, AnomalyView, TrendView } from './types';

export class DetectorsFeature implements AnalysisFeature {
  readonly name = 'detectors';
  readonly part = 'core';
  readonly topics = ['anomalies'] as const;
  private readonly detectors: Detectors;

  constructor(private readonly ctx: FeatureContext, private readonly baselines: BaselinesFeature) {
    const s = ctx.settings;
    this.detectors = new Detectors({ robust: s.robust, trend: s.trend, minCallsPerMinute: s.anomalyMinCallsPerMinute, graceMs: s.minuteGraceMs, memoryMetrics: s.memoryMetrics });
  }

  tick(nowMs: number): void {
    if (this.detectors.run(this.baselines.baselines, nowMs)) this.ctx.changed('anomalies');
  }

  anomalies(): AnomalyView[] {
    return [...this.detectors.anomalies.values()];
  }

  trends(): TrendView[] {
    return [...this.detectors.trends.values()];
  }

  /** With `file`: the anomalies at lines of that file, and no trends (they have no line). */
  list(filter: { file?: string } = {}): AnomaliesResult {
    const anomalies = this.anomalies().filter((a) => !filter.file || a.location?.file === filter.file);
    return { anomalies, trends: filter.file ? [] : this.trends() };
  }

  save(): DetectorsState {
    return this.detectors.toJSON();
  }

  load(state: unknown): void {
    if (state) this.detectors.load(state as DetectorsState);
  }

  reset(): void {
    this.detectors.reset();
  }
}
