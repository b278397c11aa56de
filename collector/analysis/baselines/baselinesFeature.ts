// Baselines as a feature: minute series per endpoint, location and metric over the analysis
// window. The span series are the store's when it has them (folded from its journal, saved in
// its checkpoint); otherwise this feature folds each batch's spans itself. Metric series
// (cumulative → delta) are always this feature's, saved in the `baselines` part.
import type { TelemetryBatch } from '../../model/types';
import type { SeriesSummary, SeriesView } from '../../model/queries';
import { toRowBatch } from '../../store/rows';
import type { SpanBaselines } from '../../timeseries/spanBaselines';
import type { AnalysisFeature, FeatureContext } from '../feature';
import type { BaselinesState } from './baselines';
import { Baselines } from './baselines';

export class BaselinesFeature implements AnalysisFeature {
  readonly name = 'baselines';
  readonly part = 'baselines';
  readonly topics = [] as const;
  /** Read by the detectors, the alert rules and the status components. */
  readonly baselines: Baselines;
  /** No store series given: spans are folded here. */
  private readonly foldsSpans: boolean;

  constructor(private readonly ctx: FeatureContext, spanSeries?: SpanBaselines) {
    const s = ctx.settings;
    this.foldsSpans = !spanSeries;
    spanSeries?.configure({ windowMinutes: s.windowMinutes, maxSeries: s.maxSeries, persistMinutes: s.persistMinutes, persistCoarsen: s.persistCoarsen, persistFullMinutes: s.persistFullMinutes });
    this.baselines = new Baselines({ windowMinutes: s.windowMinutes, maxSeries: s.maxSeries, limits: s.limits }, spanSeries);
  }

  observe(batch: TelemetryBatch): void {
    if (this.foldsSpans && batch.spans.length) this.baselines.spans.addRows(toRowBatch(batch));
    for (const p of batch.metrics) this.baselines.observeMetric(p);
  }

  list(kind?: SeriesSummary['kind']): SeriesSummary[] {
    return [...this.baselines.series.values()].filter((s) => !kind || s.kind === kind).map((s) => s.summary());
  }

  get(key: string): SeriesView | undefined {
    const s = this.baselines.series.get(key);
    return s ? { ...s.summary(), buckets: s.bucketViews() } : undefined;
  }

  /** The series updated in the last `persistMinutes`, coarsened as the persist settings say. */
  save(nowMs: number): BaselinesState {
    const s = this.ctx.settings;
    return this.baselines.toJSON({ lastMinutes: s.persistMinutes, coarsen: s.persistCoarsen, fullMinutes: s.persistFullMinutes, nowMs });
  }

  load(state: unknown): void {
    if (state) this.baselines.load(state as BaselinesState);
  }

  reset(): void {
    this.baselines.reset();
  }
}
