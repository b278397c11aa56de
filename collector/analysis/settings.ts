// Analysis settings and their defaults. Every field has a default, so `{}` is a working
// configuration; the integrator passes the user's `vibewatch.analysis.*` settings through.
import type { Severity } from './shared/severity';
import type { WebhookConfig } from './notify/types';
import type { RobustSettings, TrendSettings } from './detectors/anomaly';
import { DEFAULT_ROBUST, DEFAULT_TREND } from './detectors/anomaly';

export interface AnalysisSettings {
  slowQueryMs: number;
  nPlusOneMin: number;
  chattyHttpMin: number;
  /** A trace is analysed for N+1 after this long without new spans. */
  traceQuietMs: number;
  maxBufferedTraces: number;
  maxSpansPerTrace: number;
  maxStatements: number;
  windowMinutes: number;
  maxSeries: number;
  robust: RobustSettings;
  trend: TrendSettings & { windowMinutes: number };
  anomalyMinCallsPerMinute: number;
  minuteGraceMs: number;
  memoryMetrics: string[];
  /** metric-name glob → limit (in the metric's unit) for "reaches the limit in ~N min". */
  limits: Record<string, number>;
  incidentSeverity: Severity;
  /** Without `.vibewatch/status.json`, publish one status component per service seen in
   *  telemetry (any sender can then add components to the public page). Default false. */
  publishTelemetryServices: boolean;
  autoResolveIncidents: boolean;
  /** The `rules` setting: an array of rules or `{ rules, defaults: false }`. */
  rules?: unknown;
  webhooks: WebhookConfig[];
  errorSamples: number;
  maxErrorGroups: number;
  newForMs: number;
  maxPendingExceptions: number;
  /** Deploys and AI diffs this long before an incident go on its timeline. */
  changeWindowMs: number;
  saveIntervalMs: number;
  /** The baselines are bigger; they are saved this often (and on shutdown). */
  baselineSaveIntervalMs: number;
  /** Minutes of baseline buckets saved (must cover the anomaly and trend windows). */
  persistMinutes: number;
  /** Histogram buckets merged n-to-1 when saved (4: quantile error ~4% after a restart). */
  persistCoarsen: number;
  /** Minutes saved with their histogram (alert windows merge these); older minutes are saved
   *  as count + p50 + p95 only (what the anomaly and trend detectors read). */
  persistFullMinutes: number;
  flushIntervalMs: number;
  tickIntervalMs: number;
  configReloadMs: number;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  slowQueryMs: 200,
  nPlusOneMin: 10,
  chattyHttpMin: 10,
  traceQuietMs: 5000,
  maxBufferedTraces: 2000,
  maxSpansPerTrace: 2000,
  maxStatements: 2000,
  windowMinutes: 60,
  maxSeries: 2000,
  robust: { ...DEFAULT_ROBUST, windowPoints: 30, dwell: 3 },
  trend: { ...DEFAULT_TREND, windowMinutes: 30 },
  anomalyMinCallsPerMinute: 5,
  minuteGraceMs: 10_000,
  memoryMetrics: ['*memory*', '*heap*', '*rss*'],
  limits: {},
  incidentSeverity: 'critical',
  publishTelemetryServices: false,
  autoResolveIncidents: true,
  webhooks: [],
  errorSamples: 10,
  maxErrorGroups: 1000,
  newForMs: 3_600_000,
  maxPendingExceptions: 10_000,
  changeWindowMs: 2 * 3_600_000,
  saveIntervalMs: 15_000,
  baselineSaveIntervalMs: 120_000,
  persistMinutes: 30,
  persistCoarsen: 4,
  persistFullMinutes: 15,
  flushIntervalMs: 1000,
  tickIntervalMs: 5000,
  configReloadMs: 30_000,
};

export function resolveSettings(partial: Partial<AnalysisSettings> = {}): AnalysisSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...partial,
    robust: { ...DEFAULT_SETTINGS.robust, ...partial.robust },
    trend: { ...DEFAULT_SETTINGS.trend, ...partial.trend },
  };
}
