// Runs the anomaly and trend detectors over the baselines, once per completed minute per
// series. Keeps the current anomalies (after the detector's dwell) and trends.
import type { AnomalyView, TrendView } from './types';
import type { SeriesSignal } from '../../model/queries';
import type { Baselines } from '../baselines/baselines';
import type { Series } from '../../timeseries/minuteSeries';
import { MINUTE_MS } from '../../timeseries/minuteSeries';
import type { RobustSettings, TrendSettings } from './anomaly';
import { detectTrend, formatValue, robustScore, trendText } from './anomaly';
import { globMatch } from '../shared/glob';

export interface DetectorSettings {
  robust: RobustSettings;
  trend: TrendSettings & { windowMinutes: number };
  /** Calls a minute needs before its p95 / error rate is scored. */
  minCallsPerMinute: number;
  /** Seconds after a minute ends before it counts as complete (late spans). */
  graceMs: number;
  /** Metric-name globs treated as memory-like (trend detection). */
  memoryMetrics: string[];
}

interface Run {
  count: number;
  sinceMs: number;
  direction: 'up' | 'down';
}

export interface DetectorsState {
  lastMinute: [string, number][];
  runs: [string, Run][];
  anomalies: AnomalyView[];
  trends: TrendView[];
}

const SIGNALS: Record<Series['kind'], { signal: SeriesSignal; direction: RobustSettings['direction'] }[]> = {
  endpoint: [{ signal: 'p95', direction: 'up' }, { signal: 'errorRate', direction: 'up' }],
  location: [{ signal: 'p95', direction: 'up' }],
  metric: [{ signal: 'value', direction: 'both' }],
};

export class Detectors {
  private readonly lastMinute = new Map<string, number>();
  private readonly runs = new Map<string, Run>();
  readonly anomalies = new Map<string, AnomalyView>();
  readonly trends = new Map<string, TrendView>();

  constructor(private readonly s: DetectorSettings) {}

  isMemoryLike(name: string): boolean {
    return !/limit/i.test(name) && this.s.memoryMetrics.some((g) => globMatch(g, name));
  }

  /** Returns whether anomalies or trends changed. */
  run(baselines: Baselines, nowMs: number): boolean {
    let changed = false;
    const complete = Math.floor((nowMs - this.s.graceMs) / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
    for (const se of baselines.series.values()) {
      const last = this.lastMinute.get(se.key) ?? -Infinity;
      if (complete <= last || !se.buckets.size) continue;
      this.lastMinute.set(se.key, complete);
      for (const { signal, direction } of SIGNALS[se.kind]) {
        for (const m of this.minutesToScore(se, last, complete)) changed = this.score(se, signal, direction, m) || changed;
      }
      if (se.kind === 'metric' && this.isMemoryLike(se.name)) changed = this.trend(baselines, se, complete) || changed;
    }
    for (const key of this.lastMinute.keys()) if (!baselines.series.has(key)) this.lastMinute.delete(key);
    return changed;
  }

  private minutesToScore(se: Series, after: number, upTo: number): number[] {
    return [...se.buckets.keys()].filter((m) => m > after && m <= upTo).sort((a, b) => a - b);
  }

  private score(se: Series, signal: SeriesSignal, direction: RobustSettings['direction'], m: number): boolean {
    const minCalls = signal === 'value' ? 1 : this.s.minCallsPerMinute;
    const v = se.value(se.buckets.get(m), signal, minCalls);
    if (v === undefined) return false;
    const history = se.values(signal, m - this.s.robust.windowPoints * MINUTE_MS, m, minCalls).map((p) => p.v);
    const r = robustScore(history, v, { ...this.s.robust, direction });
    const key = `${se.key}|${signal}`;
    const run = this.runs.get(key);
    if (!r?.outlier) {
      this.runs.delete(key);
      return this.anomalies.delete(key);
    }
    const cur: Run = run && run.direction === r.direction ? { ...run, count: run.count + 1 } : { count: 1, sinceMs: m, direction: r.direction };
    this.runs.set(key, cur);
    if (cur.count < this.s.robust.dwell) return false;
    const unit = signal === 'p95' ? 'ms' : signal === 'errorRate' ? undefined : se.unit;
    const shown = (x: number) => (signal === 'errorRate' ? `${(x * 100).toFixed(1)}%` : formatValue(x, unit));
    this.anomalies.set(key, {
      seriesKey: se.key, signal, kind: se.kind, service: se.service, name: se.name, sinceMs: cur.sinceMs,
      value: v, median: r.median, mad: r.mad, score: r.score, direction: r.direction, location: se.location,
      text: `${se.name} (${se.service}) ${signal} ${shown(v)} is ${r.direction === 'up' ? 'above' : 'below'} its usual ${shown(r.median)} (${r.score.toFixed(1)}× the usual spread) for ${cur.count} min`,
    });
    return true;
  }

  private trend(baselines: Baselines, se: Series, upTo: number): boolean {
    const from = upTo - (this.s.trend.windowMinutes - 1) * MINUTE_MS;
    const pts = se.values('value', from, upTo + MINUTE_MS).map((p) => ({ x: p.m / MINUTE_MS, y: p.v }));
    const limit = se.limit ?? baselines.siblingLimit(se);
    const t = detectTrend(pts, this.s.trend, limit);
    if (!t) return this.trends.delete(se.key);
    this.trends.set(se.key, {
      seriesKey: se.key, service: se.service, name: se.name, unit: se.unit, slopePerMin: t.slopePerMin, r2: t.r2,
      current: t.current, limit, minutesToLimit: t.minutesToLimit, text: `${se.service}: ${trendText(se.name, t, se.unit)}`,
    });
    return true;
  }

  /** Forgets every anomaly, trend and scored minute (Clear Data). */
  reset(): void {
    this.load({ lastMinute: [], runs: [], anomalies: [], trends: [] });
  }

  toJSON(): DetectorsState {
    return { lastMinute: [...this.lastMinute], runs: [...this.runs], anomalies: [...this.anomalies.values()], trends: [...this.trends.values()] };
  }

  load(s: DetectorsState): void {
    this.lastMinute.clear();
    for (const [k, v] of s.lastMinute) this.lastMinute.set(k, v);
    this.runs.clear();
    for (const [k, v] of s.runs) this.runs.set(k, v);
    this.anomalies.clear();
    for (const a of s.anomalies) this.anomalies.set(`${a.seriesKey}|${a.signal}`, a);
    this.trends.clear();
    for (const t of s.trends) this.trends.set(t.seriesKey, t);
  }
}
