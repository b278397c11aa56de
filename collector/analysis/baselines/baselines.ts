// Baselines per endpoint (`http.route` + service), per code location, and per OTLP metric
// series, in one-minute buckets (collector/timeseries/minuteSeries.ts). The span series are
// the store's (collector/timeseries/spanBaselines.ts: folded from the journal with the lens
// lines, saved in the same checkpoint); the metric series are kept here, fed by the analysis
// processor and saved in the analysis state. Cumulative metric points are converted to
// deltas here (a reset — a new start time or a smaller value — starts over from the new
// value). O(1) per point; series are bounded (least recently updated evicted).
import type { MetricPoint } from '../../model/types';
import { nsToMs } from '../../model/time';
import { Series } from '../../timeseries/minuteSeries';
import type { SeriesJson } from '../../timeseries/minuteSeries';
import { metricKey, parseSeriesKey } from '../../timeseries/seriesKey';
import { SeriesTable } from '../../timeseries/seriesTable';
import { rekey, SpanBaselines } from '../../timeseries/spanBaselines';
import { attrNum, attrsKey } from '../shared/attrs';
import { globMatch } from '../shared/glob';

export interface BaselineSettings {
  windowMinutes: number;
  maxSeries: number;
  /** metric-name glob → limit in the metric's unit (e.g. bytes), for trend detection. */
  limits: Record<string, number>;
}

interface CumulativeState {
  startMs: number;
  value: number;
  counts?: number[];
  sum?: number;
}

export interface BaselinesState {
  /** Metric series, and span series when no store keeps them (see the constructor). */
  series: SeriesJson[];
  cumulative: [string, CumulativeState][];
}

/** Every series the detectors and alerts read: the store's span series and the metric series. */
export interface SeriesIndex {
  values(): IterableIterator<Series>;
  get(key: string): Series | undefined;
  has(key: string): boolean;
}

export class Baselines {
  private readonly metrics: SeriesTable<Series>;
  private readonly cumulative = new Map<string, CumulativeState>();
  readonly series: SeriesIndex;

  readonly spans: SpanBaselines;
  /** No store series given: the span series are this object's, saved with the metric ones. */
  private readonly ownsSpans: boolean;

  /** `spans`: the store's span series (collector/timeseries/spanBaselines.ts), which the
   *  store saves in its checkpoint; without it they are kept (and saved) here. */
  constructor(private readonly s: BaselineSettings, storeSpans?: SpanBaselines) {
    this.ownsSpans = !storeSpans;
    const spans = (this.spans = storeSpans ?? new SpanBaselines());
    if (this.ownsSpans) spans.configure({ windowMinutes: s.windowMinutes, maxSeries: s.maxSeries });
    this.metrics = new SeriesTable<Series>({ max: s.maxSeries, policy: 'evictStalest', lastMs: (se) => se.lastMinuteMs });
    const metrics = this.metrics;
    this.series = {
      *values() {
        yield* spans.values();
        yield* metrics.values();
      },
      get: (key) => spans.get(key) ?? metrics.get(key),
      has: (key) => spans.has(key) || metrics.has(key),
    };
  }

  private get(key: string, kind: Series['kind'], service: string, name: string): Series {
    return this.metrics.ensure(key, () => new Series(key, kind, service, name, this.s.windowMinutes))!;
  }

  observeMetric(p: MetricPoint): void {
    const key = metricKey(p.resource.serviceName, p.metric, attrsKey(p.attributes));
    const at = nsToMs(p.timeNs);
    const startMs = p.startNs !== undefined ? nsToMs(p.startNs) : 0;
    const se = this.get(key, 'metric', p.resource.serviceName, p.metric);
    se.unit = p.unit;
    if (se.limit === undefined) se.limit = this.limitFor(p);
    switch (p.kind) {
      case 'gauge':
      case 'sum': {
        const cumulativeCounter = p.kind === 'sum' && p.monotonic === true && p.temporality === 'cumulative';
        if (p.kind === 'sum' && p.monotonic === true) se.metricKind = 'delta';
        else if (p.kind === 'sum' && p.temporality === 'delta') se.metricKind = 'delta';
        else se.metricKind = 'gauge';
        if (!cumulativeCounter) {
          se.addValue(at, p.value);
          return;
        }
        const prev = this.cumulative.get(key);
        this.cumulative.set(key, { startMs, value: p.value });
        if (!prev) return; // first point only establishes where counting starts
        const reset = p.value < prev.value || (startMs !== 0 && prev.startMs !== 0 && startMs !== prev.startMs);
        se.addValue(at, reset ? p.value : p.value - prev.value);
        return;
      }
      case 'histogram': {
        se.metricKind = 'histogram';
        let counts = p.bucketCounts;
        let count = p.count;
        if (p.temporality === 'cumulative') {
          const prev = this.cumulative.get(key);
          this.cumulative.set(key, { startMs, value: p.count, counts: p.bucketCounts });
          if (!prev) return;
          const reset = p.count < prev.value || (startMs !== 0 && prev.startMs !== 0 && startMs !== prev.startMs) || prev.counts?.length !== counts.length;
          if (!reset) {
            counts = counts.map((c, i) => c - (prev.counts![i] ?? 0));
            count = p.count - prev.value;
          }
        }
        this.addHistogram(se, at, p.bounds, counts, count, p.min, p.max);
        return;
      }
      case 'exponentialHistogram': {
        se.metricKind = 'histogram';
        // Approximation: each bucket's count at its geometric midpoint; cumulative handled as
        // for explicit histograms when the layout (scale, offset, length) is unchanged.
        const base = Math.pow(2, Math.pow(2, -p.scale));
        let counts = p.positive.bucketCounts;
        let count = p.count;
        if (p.temporality === 'cumulative') {
          const prev = this.cumulative.get(key);
          this.cumulative.set(key, { startMs, value: p.count, counts, sum: p.scale * 1e6 + p.positive.offset });
          if (!prev) return;
          const sameLayout = prev.sum === p.scale * 1e6 + p.positive.offset && prev.counts?.length === counts.length;
          if (sameLayout && p.count >= prev.value) {
            counts = counts.map((c, i) => c - (prev.counts![i] ?? 0));
            count = p.count - prev.value;
          }
        }
        const b = se.bucket(at);
        if (!b) return;
        counts.forEach((c, i) => {
          if (c > 0) b.hist.add(Math.pow(base, p.positive.offset + i + 0.5), c);
        });
        b.count += count;
        return;
      }
      case 'summary': {
        se.metricKind = 'gauge';
        const q = p.quantiles.find((x) => x.quantile === 0.95) ?? p.quantiles.find((x) => x.quantile === 0.99);
        se.addValue(at, q ? q.value : p.count ? p.sum / p.count : 0);
        return;
      }
    }
  }

  private addHistogram(se: Series, at: number, bounds: number[], counts: number[], count: number, min?: number, max?: number): void {
    const b = se.bucket(at);
    if (!b) return;
    counts.forEach((c, i) => {
      if (c <= 0) return;
      const lo = i === 0 ? (min !== undefined ? min : bounds[0] / 2) : bounds[i - 1];
      const hi = i >= bounds.length ? (max !== undefined ? max : bounds[bounds.length - 1] * 1.5) : bounds[i];
      b.hist.add((lo + hi) / 2, c);
    });
    b.count += count;
  }

  /** A limit from a setting (metric glob), or a `*limit*` attribute on the point or resource. */
  private limitFor(p: MetricPoint): number | undefined {
    for (const [glob, v] of Object.entries(this.s.limits)) if (globMatch(glob, p.metric)) return v;
    for (const attrs of [p.attributes, p.resource.attributes]) {
      for (const k of Object.keys(attrs)) if (/limit$/i.test(k)) {
        const v = attrNum(attrs, k);
        if (v !== undefined && v > 0) return v;
      }
    }
    return undefined;
  }

  /** A limit published as a sibling metric (`v8js.memory.heap.limit` for `…heap.used`). */
  siblingLimit(se: Series): number | undefined {
    const m = /^(.*)\.(used|usage)$/.exec(se.name);
    const parsed = parseSeriesKey(se.key);
    if (!m || parsed?.kind !== 'm') return undefined;
    const sib = this.metrics.get(metricKey(se.service, `${m[1]}.limit`, parsed.values[2]));
    if (!sib) return undefined;
    const b = sib.buckets.get(sib.lastMinuteMs);
    return b && b.vcount ? b.sum / b.vcount : undefined;
  }

  /** Forgets the metric series, and the span series when they are this object's (the
   *  store's are emptied with the store). */
  reset(): void {
    this.load({ series: [], cumulative: [] });
  }

  /** What is saved: series updated in the last `lastMinutes`, their last `lastMinutes`
   *  buckets; histograms coarsened, and summarised beyond `fullMinutes` (see Series.toJSON). */
  toJSON(opts: { lastMinutes?: number; coarsen?: number; fullMinutes?: number; nowMs?: number } = {}): BaselinesState {
    const cutoff = opts.lastMinutes && opts.nowMs !== undefined ? opts.nowMs - opts.lastMinutes * 60_000 : -Infinity;
    return {
      series: [...(this.ownsSpans ? this.series.values() : this.metrics.values())].filter((s) => s.lastMinuteMs >= cutoff).map((s) => s.toJSON(opts)),
      cumulative: [...this.cumulative],
    };
  }

  /** Loads the metric series, and the span series when they are this object's (with the
   *  store's, span series of an older state are left out: the store's checkpoint has them). */
  load(st: BaselinesState): void {
    this.metrics.clear();
    if (this.ownsSpans) this.spans.load(st.series);
    for (const j of st.series) if (j.kind === 'metric') this.metrics.set(rekey(j).key, Series.fromJSON(rekey(j), this.s.windowMinutes));
    this.cumulative.clear();
    for (const [k, v] of st.cumulative) this.cumulative.set(k, v);
  }
}
