// Alert rules (as written in settings or `.vibewatch/alerts.json`) and alert states.
import type { LocationView, SeriesSignal, SeriesSummary } from '../../model/queries';
import type { Severity } from '../shared/severity';

export type AlertKind =
  | 'errorRate'
  | 'latencyP95'
  | 'metric'
  | 'slowQueryCount'
  | 'nPlusOneCount'
  | 'anomalous'
  | 'trendLimit';

export type Comparator = '>' | '>=' | '<' | '<=';

/** A rule as written in settings or `.vibewatch/alerts.json`. */
export interface AlertRule {
  id: string;
  title?: string;
  kind: AlertKind;
  /** Glob on service name (`*` any run of characters). */
  service?: string;
  /** Glob on `http.route` (errorRate, latencyP95, anomalous on endpoints). */
  route?: string;
  /** Glob on metric name (metric, anomalous, trendLimit). */
  metric?: string;
  /** For `anomalous`: which signal; default p95 for endpoints, value for metrics. */
  signal?: SeriesSignal;
  /** For `anomalous`: which kind of series; default all. */
  series?: SeriesSummary['kind'];
  op?: Comparator;
  threshold?: number;
  /** Evaluation window for error rate / p95 / counts; default 5 minutes. */
  windowMinutes?: number;
  /** Minimum calls in the window before an error-rate or p95 rule may fire; default 10. */
  minCalls?: number;
  /** Dwell: the condition must hold this long before firing. `"2m"`, `"30s"`, or ms. */
  for?: string | number;
  /** trendLimit: fire when the limit is reached within this many minutes; default 60. */
  withinMinutes?: number;
  severity: Severity;
  /** Where the rule came from (filled on load). */
  origin?: 'default' | 'settings' | 'file';
  enabled?: boolean;
}

export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertView {
  key: string;
  ruleId: string;
  title: string;
  severity: Severity;
  state: AlertState;
  subject: string;
  service?: string;
  value: number;
  text: string;
  pendingSinceMs: number;
  firingSinceMs?: number;
  resolvedAtMs?: number;
  lastEvalMs: number;
  incidentId?: string;
  location?: LocationView;
}

export interface AlertRulesResult {
  rules: AlertRule[];
  /** What was wrong in settings, alerts.json, status.json or runbooks. */
  errors: string[];
}
