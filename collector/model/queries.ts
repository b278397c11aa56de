// What the store and the aggregates answer about telemetry: per-line figures of a file,
// trace and log queries and the rows they return. JSON-safe (times in ms, bigints as strings)
// because they cross the live protocol as they are; they belong to the model, not to the wire,
// so the store and the aggregates need nothing of live/ (see scripts/layering.mjs).

/** One line of a workspace file with telemetry, answered from ingest-time aggregates. */
export interface LineStats {
  line: number;
  function?: string;
  /** What produced these numbers: spans (calls/latency/errors) or log records. */
  kind: 'span' | 'log';
  calls: number;
  errors: number;
  p50Ms?: number;
  p95Ms?: number;
  /** For log call sites: counts by severity text (INFO, WARN, ERROR…). */
  logsBySeverity?: Record<string, number>;
  lastSeenMs: number;
  /** Span names / routes seen at this line (a few, most frequent first). */
  names: string[];
  /** Latest trace ids seen here, newest first (at most 5). */
  recentTraceIds: string[];
  /** Calls per minute over the last 30 minutes, oldest first (for the hover's sparkline). */
  perMinute: number[];
}

export interface FileSummary {
  file: string;
  lines: LineStats[];
}

export interface TraceFilter {
  service?: string;
  route?: string;
  status?: 'ok' | 'error';
  minDurationMs?: number;
  sinceMs?: number;
  untilMs?: number;
  text?: string;
  /** Only traces with a span located in one of these files. */
  files?: string[];
  limit?: number;
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  service: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
}

/** A span as sent to clients: JSON-safe (times in ms as numbers, attributes stringified bigints). */
export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
  startMs: number;
  durationMs: number;
  statusCode: number;
  statusMessage?: string;
  attributes: Record<string, unknown>;
  events: { name: string; timeMs: number; attributes: Record<string, unknown> }[];
  location?: { file: string; line: number; column?: number; function?: string; via: string; confidence: number; nested?: true };
  /** No location of its own: where the nearest placed ancestor (the handler that issued it) is. */
  issuedFrom?: { file: string; line: number; column?: number; function?: string; via: string; confidence: number };
}

export interface LogFilter {
  traceId?: string;
  /** Only records located at this workspace file (absolute path) — and line, when given. */
  file?: string;
  line?: number;
  service?: string;
  minSeverity?: number;
  text?: string;
  attribute?: { key: string; value: string };
  sinceMs?: number;
  limit?: number;
}

export interface LogView {
  timeMs: number;
  severityNumber: number;
  severityText?: string;
  body: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  service: string;
  traceId?: string;
  spanId?: string;
  location?: { file: string; line: number };
}

// ---- series (baselines of endpoints, locations and metrics) -------------------------

export interface LocationView {
  file: string;
  line: number;
  column?: number;
  function?: string;
  /** The line is the running revision's and could not be mapped to today's (the revision
   *  is not in the clone); a placed location replaces it on the group. */
  unplaced?: true;
}

export interface BucketView {
  minuteMs: number;
  count: number;
  errors: number;
  p50?: number;
  p95?: number;
  /** Metric series: the minute's value (gauge mean, sum delta, histogram p95). */
  value?: number;
}

export const SERIES_KINDS = ['endpoint', 'location', 'metric'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];

export interface SeriesSummary {
  key: string;
  kind: SeriesKind;
  service: string;
  name: string;
  unit?: string;
  lastMinuteMs: number;
  location?: LocationView;
}

export interface SeriesView extends SeriesSummary {
  buckets: BucketView[];
}

/** What a series is read as: its p95, error rate, call rate, or metric value. */
export type SeriesSignal = 'p95' | 'errorRate' | 'rate' | 'value';
