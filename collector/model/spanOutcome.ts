// What a span counts as, the one rule for every figure built from spans (lens and hover
// aggregates, analysis baselines and alerts, before/after per revision), so they agree about
// the same line.
import { SpanKind, StatusCode, type SourceLocation, type Span } from './types';

/** Failed: status ERROR, or a server span answered with HTTP 5xx (some SDKs leave the status
 *  unset on a 5xx response). A client's 4xx/5xx is the callee's failure only when the SDK set
 *  ERROR (it does for the call that failed). */
export function isErrorSpan(span: Span): boolean {
  if (span.status.code === StatusCode.Error) return true;
  if (span.kind !== SpanKind.Server) return false;
  const status = Number(span.attributes['http.response.status_code'] ?? span.attributes['http.status_code']);
  return Number.isFinite(status) && status >= 500;
}

/** The location where a span counts as one call: its own, unless it is nested (the same call
 *  as its parent or child at that line, e.g. express's handler span under its server span). */
export function countedLocation(span: Span): SourceLocation | undefined {
  return span.location && !span.location.nested ? span.location : undefined;
}

/** What a span is to the code at its location: `own` (the code's own work) or `query` (a
 *  database or outgoing call it issues), so a query added to a function never dilutes the
 *  function's own latency. */
export type SpanRole = 'own' | 'query';

export function isDatabaseSpan(s: Pick<Span, 'attributes'>): boolean {
  const a = s.attributes;
  return a['db.system'] !== undefined || a['db.system.name'] !== undefined || a['db.statement'] !== undefined || a['db.query.text'] !== undefined;
}

export function spanRole(s: Pick<Span, 'kind' | 'attributes'>): SpanRole {
  return s.kind === SpanKind.Client || isDatabaseSpan(s) ? 'query' : 'own';
}
