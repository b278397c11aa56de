// Slow-query and repeated-call findings as the live protocol serves them.
import type { LocationView } from '../../model/queries';

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

export interface FindingFilter {
  file?: string;
  kind?: Finding['kind'];
}
