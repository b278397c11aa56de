// The one internal shape of telemetry, shared by every part of the collector.
// Contract: receivers produce these (already validated and bounded); processors may add
// `location` and derived fields; nothing downstream sees raw OTLP.
// IDs are lowercase hex strings. Times are nanoseconds since the epoch as bigint; use
// `nsToMs` from ./time.ts where milliseconds are enough (UI, aggregates).

export type AttrValue = string | number | boolean | bigint | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

export interface Resource {
  attributes: Attributes;
  /** `service.name`, or "unknown_service" as the spec says. */
  serviceName: string;
  /** The running revision, when a resource attribute names one (see collector/git/revision.ts). */
  revision?: string;
}

export interface Scope {
  name: string;
  version?: string;
}

export enum SpanKind {
  Unspecified = 0,
  Internal = 1,
  Server = 2,
  Client = 3,
  Producer = 4,
  Consumer = 5,
}

export enum StatusCode {
  Unset = 0,
  Ok = 1,
  Error = 2,
}

export interface SpanEvent {
  name: string;
  timeNs: bigint;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

/** Where in the user's workspace a piece of telemetry comes from. */
export interface SourceLocation {
  /** Absolute path of the workspace file, forward slashes (`/home/me/shop/src/orders.ts`).
   *  Absolute because one collector serves several editor windows and workspaces. */
  file: string;
  /** 1-based. */
  line: number;
  column?: number;
  function?: string;
  /** How the location was found. */
  via: 'attribute' | 'stack' | 'sourcemap' | 'literal' | 'route';
  /** 0..1 */
  confidence: number;
  /** The same code as its parent (or child) span of the same trace, e.g. express's request
   *  handler span under the server span of the same route: kept on the span, not counted as
   *  another call at that line (collector/source/tracePlacement.ts). */
  nested?: true;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startNs: bigint;
  endNs: bigint;
  status: { code: StatusCode; message?: string };
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  resource: Resource;
  scope: Scope;
  /** Filled by collector/source when the span can be placed in the workspace. */
  location?: SourceLocation;
  /** For a span with no location of its own (database, cache, client calls, middleware): the
   *  location of its nearest placed ancestor in the trace, the handler that issued it. */
  issuedFrom?: SourceLocation;
}

export interface LogRecord {
  timeNs: bigint;
  observedTimeNs: bigint;
  severityNumber: number;
  severityText?: string;
  body: AttrValue;
  attributes: Attributes;
  traceId?: string;
  spanId?: string;
  resource: Resource;
  scope: Scope;
  location?: SourceLocation;
}

export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
export type Temporality = 'delta' | 'cumulative' | 'unspecified';

interface PointBase {
  metric: string;
  unit?: string;
  description?: string;
  attributes: Attributes;
  startNs?: bigint;
  timeNs: bigint;
  resource: Resource;
  scope: Scope;
}

export interface NumberPoint extends PointBase {
  kind: 'gauge' | 'sum';
  value: number;
  temporality?: Temporality;
  monotonic?: boolean;
}

export interface HistogramPoint extends PointBase {
  kind: 'histogram';
  temporality: Temporality;
  count: number;
  sum?: number;
  min?: number;
  max?: number;
  bounds: number[];
  bucketCounts: number[];
}

export interface ExponentialHistogramPoint extends PointBase {
  kind: 'exponentialHistogram';
  temporality: Temporality;
  count: number;
  sum?: number;
  min?: number;
  max?: number;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  negative: { offset: number; bucketCounts: number[] };
}

export interface SummaryPoint extends PointBase {
  kind: 'summary';
  count: number;
  sum: number;
  quantiles: { quantile: number; value: number }[];
}

export type MetricPoint = NumberPoint | HistogramPoint | ExponentialHistogramPoint | SummaryPoint;

/** What one accepted export request becomes. Counts of what was dropped travel with it. */
export interface TelemetryBatch {
  spans: Span[];
  logs: LogRecord[];
  metrics: MetricPoint[];
  /** Items rejected while decoding (they are not in the arrays above), with the reason. */
  rejected: { spans: number; logs: number; metrics: number; reasons: string[] };
  /** Attributes or values cut to the configured limits. */
  truncated: number;
  receivedAtNs: bigint;
}

export function emptyBatch(receivedAtNs: bigint = BigInt(Date.now()) * 1_000_000n): TelemetryBatch {
  return { spans: [], logs: [], metrics: [], rejected: { spans: 0, logs: 0, metrics: 0, reasons: [] }, truncated: 0, receivedAtNs };
}
