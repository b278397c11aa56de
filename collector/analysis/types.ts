// Result and configuration types of collector/analysis (error groups, findings, baselines,
// anomalies, alerts, incidents, runbooks, status). JSON-safe: times are epoch milliseconds.
// collector/live/protocol.ts references these for the live methods; clients import them
// type-only.
import type { LocationView, SeriesSummary, SeriesSignal } from '../model/queries';
export type { BucketView, LocationView, SeriesKind, SeriesSummary, SeriesView, SeriesSignal } from '../model/queries';
export { SERIES_KINDS } from '../model/queries';

export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

// ---- errors -------------------------------------------------------------------------

export const ERROR_GROUP_STATES = ['new', 'ongoing', 'resolved', 'regressed', 'ignored'] as const;
export type ErrorGroupState = (typeof ERROR_GROUP_STATES)[number];

/** One part of a fingerprint, with whether it went into the hash and why. */
export interface FingerprintComponent {
  name: 'type' | 'frames' | 'message';
  contributes: boolean;
  values: string[];
  hint: string;
}

export interface Fingerprint {
  /** Strategy version; a new strategy gets a new version so old groups are not silently re-cut. */
  version: string;
  hash: string;
  components: FingerprintComponent[];
}

export interface ErrorSample {
  atMs: number;
  traceId?: string;
  spanId?: string;
  service: string;
  revision?: string;
  type: string;
  message: string;
  /** Raw stack, cut to a bounded length. Never shown on the public status page. */
  stack?: string;
  location?: LocationView;
  /** Which fingerprint (member of the group) this event had. */
  fingerprint: string;
  source: 'spanEvent' | 'log' | 'spanStatus';
  /** E.g. `SQLSTATE 42601` for a database error typed by its name. */
  detail?: string;
}

export interface ErrorGroupMember {
  fingerprint: Fingerprint;
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

/** Who wrote the code at the top in-app frame (filled asynchronously by the git component). */
export interface Attribution {
  commit?: string;
  aiDiffId?: string;
  summary?: string;
}

export interface ErrorGroupView {
  id: string;
  type: string;
  /** The parameterised message (what grouping saw). */
  title: string;
  state: ErrorGroupState;
  stateReason?: string;
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
  services: string[];
  revisions: string[];
  location?: LocationView;
  attribution?: Attribution;
  resolvedAtMs?: number;
  resolvedInRevision?: string;
  members: ErrorGroupMember[];
  samples: ErrorSample[];
  /** Occurrences per hour, `[hourStartMs, count]`, oldest first, the last 48 hours of
   *  activity (the samples are capped, these counts are not). */
  hourly?: [number, number][];
}

export interface ErrorFilter {
  service?: string;
  state?: ErrorGroupState | ErrorGroupState[];
  file?: string;
  limit?: number;
}

export type ErrorAction =
  | { action: 'resolve'; groupId: string; inRevision?: string }
  | { action: 'ignore'; groupId: string }
  | { action: 'unignore'; groupId: string }
  | { action: 'merge'; groupId: string; otherIds: string[] }
  | { action: 'split'; groupId: string; fingerprint: string };

// ---- findings -----------------------------------------------------------------------

export interface SlowQueryFinding {
  kind: 'slowQuery';
  id: string;
  service: string;
  dbSystem?: string;
  statement: string;
  /** Calls of this statement seen (all durations). */
  calls: number;
  /** Calls over the threshold. */
  slowCalls: number;
  /** Slow calls per minute over the last hour, oldest first (`slowQueryCount` rules sum these). */
  slowPerMinute: { minuteMs: number; count: number }[];
  thresholdMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  firstSeenMs: number;
  lastSeenMs: number;
  traceIds: string[];
  location?: LocationView;
}

export interface RepeatedCallFinding {
  kind: 'nPlusOne' | 'chattyHttp';
  id: string;
  service: string;
  /** Normalised statement, or `METHOD url-template` for HTTP. */
  statement: string;
  parentName: string;
  /** Traces in which the pattern was seen. */
  occurrences: number;
  /** Largest number of repeats under one parent in one trace. */
  maxRepeats: number;
  lastRepeats: number;
  /** Sum over all occurrences of the repeated calls' durations (what batching would mostly save). */
  totalTimeMs: number;
  firstSeenMs: number;
  lastSeenMs: number;
  traceIds: string[];
  /** Where the repeated call is made (child span location, else the parent's). */
  location?: LocationView;
}

export type Finding = SlowQueryFinding | RepeatedCallFinding;
export const FINDING_KINDS = ['slowQuery', 'nPlusOne', 'chattyHttp'] as const satisfies readonly Finding['kind'][];

// ---- baselines, metrics, anomalies ---------------------------------------------------


export interface AnomalyView {
  seriesKey: string;
  signal: SeriesSignal;
  kind: SeriesSummary['kind'];
  service: string;
  name: string;
  sinceMs: number;
  value: number;
  median: number;
  mad: number;
  score: number;
  direction: 'up' | 'down';
  location?: LocationView;
  text: string;
}

export interface TrendView {
  seriesKey: string;
  service: string;
  name: string;
  unit?: string;
  slopePerMin: number;
  r2: number;
  current: number;
  limit?: number;
  minutesToLimit?: number;
  text: string;
}

// ---- alerts -------------------------------------------------------------------------

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

// ---- incidents, runbooks ------------------------------------------------------------

export type IncidentState = 'triggered' | 'acknowledged' | 'resolved';
export const INCIDENT_PUBLIC_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentPublicState = (typeof INCIDENT_PUBLIC_STATES)[number];

export interface TimelineEntry {
  atMs: number;
  kind: 'alert' | 'state' | 'note' | 'deploy' | 'aiDiff' | 'statusUpdate';
  text: string;
  alertKey?: string;
  commit?: string;
  aiDiffId?: string;
  author?: string;
}

export interface PublicUpdate {
  atMs: number;
  status: IncidentPublicState;
  message: string;
}

export interface IncidentView {
  id: string;
  number: number;
  title: string;
  service: string;
  severity: Severity;
  state: IncidentState;
  openedAtMs: number;
  acknowledgedAtMs?: number;
  resolvedAtMs?: number;
  alertKeys: string[];
  timeline: TimelineEntry[];
  publicTitle: string;
  publicUpdates: PublicUpdate[];
  runbookIds: string[];
  /** AI diffs in the running revision, those whose functions fail first. */
  suspects?: IncidentSuspect[];
}

export type IncidentAction =
  | { action: 'ack'; incidentId: string; author?: string }
  | { action: 'resolve'; incidentId: string; author?: string }
  | { action: 'note'; incidentId: string; text: string; author?: string }
  | { action: 'statusUpdate'; incidentId: string; status: IncidentPublicState; message: string };

/** Something shipped shortly before an incident (supplied by the git component). */
export interface ChangeEntry {
  atMs: number;
  kind: 'deploy' | 'aiDiff';
  text: string;
  commit?: string;
  aiDiffId?: string;
  /** For AI diffs in the running revision: how strongly it is suspected, and why. */
  suspect?: { score: number; why: string };
}

/** An AI diff suspected of causing an incident, most suspected first (see changes.ts). */
export interface IncidentSuspect {
  aiDiffId: string;
  commit?: string;
  text: string;
  score: number;
  why: string;
}

export type RunbookStep =
  | { kind: 'shell'; command: string; lang: string }
  | { kind: 'command'; command: string; args?: unknown; title?: string }
  | { kind: 'link'; url: string; title?: string }
  | { kind: 'text'; text: string };

export interface Runbook {
  id: string;
  title: string;
  /** Rule ids or globs this runbook serves. */
  alerts: string[];
  file: string;
  steps: RunbookStep[];
}

// ---- status -------------------------------------------------------------------------

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';
export const STATUS_RANK: Record<ComponentStatus, number> = { operational: 0, degraded_performance: 1, partial_outage: 2, major_outage: 3 };

export interface StatusComponentConfig {
  id: string;
  name: string;
  /** Service-name globs and/or route globs (`GET /api/orders*`, `/api/*`). */
  services?: string[];
  routes?: string[];
}

export interface UptimeDay {
  /** UTC date, YYYY-MM-DD. */
  date: string;
  observedMin: number;
  degradedMin: number;
  partialMin: number;
  majorMin: number;
  /** 0..1, where partial outage counts 30% of its minutes (as common status pages do). */
  uptime: number;
}

export interface ComponentView {
  id: string;
  name: string;
  status: ComponentStatus;
  uptime90d: number;
  history: UptimeDay[];
}

/** Public data only: no stack traces, paths or attributes. */
export interface PublicIncidentView {
  id: string;
  title: string;
  impact: Severity;
  state: IncidentPublicState;
  startedAtMs: number;
  resolvedAtMs?: number;
  components: string[];
  updates: PublicUpdate[];
}

export interface StatusView {
  overall: ComponentStatus;
  components: ComponentView[];
  incidents: PublicIncidentView[];
  generatedAtMs: number;
}

// ---- notifications ------------------------------------------------------------------

export interface WebhookConfig {
  url: string;
  /** `json` (our own body) or `slack` (a Slack incoming-webhook compatible `{ text, blocks }`). */
  format?: 'json' | 'slack';
  /** Which events; default all. */
  events?: NotificationEvent['type'][];
  minSeverity?: Severity;
}

export type NotificationEvent =
  | { type: 'alert.firing' | 'alert.resolved'; alert: AlertView }
  | { type: 'incident.opened' | 'incident.updated' | 'incident.resolved'; incident: IncidentView; change: string };

// ---- live protocol params/results (referenced from collector/live/protocol.ts) --------

export interface FindingFilter {
  file?: string;
  kind?: Finding['kind'];
}

export interface AnomaliesResult {
  anomalies: AnomalyView[];
  trends: TrendView[];
}

export interface AlertRulesResult {
  rules: AlertRule[];
  /** What was wrong in settings, alerts.json, status.json or runbooks. */
  errors: string[];
}
