// Finds the exceptions in a batch: span events named `exception`, log records with
// `exception.*` attributes, and error-status spans with a message but no exception event.
// Cheap (a scan over events and attribute lookups); parsing and grouping happen later,
// off the ingest path.
import type { Span, TelemetryBatch } from '../../model/types';
import { StatusCode } from '../../model/types';
import { nsToMs } from '../../model/time';
import type { ErrorSample } from './types';
import type { LocationView } from '../../model/queries';
import { attrStr, toLocationView } from '../shared/attrs';
import { sqlStateName } from './sqlState';

const MAX_STACK = 16_384;
const MAX_MESSAGE = 1024;

export interface ExceptionOccurrence {
  atMs: number;
  type: string;
  message: string;
  stack?: string;
  traceId?: string;
  spanId?: string;
  service: string;
  revision?: string;
  location?: LocationView;
  /** Runtime hint for the stack parser (`telemetry.sdk.language`). */
  runtime?: string;
  /** No `exception.type` was sent: `type` is a placeholder and the stack's primary exception names it. */
  typeFromStack?: true;
  source: ErrorSample['source'];
  /** What the type does not say, e.g. `SQLSTATE 42601` when the type is its name `syntax_error`. */
  detail?: string;
}

function runtimeOf(span: { resource: { attributes: Record<string, unknown> } }): string | undefined {
  const v = span.resource.attributes['telemetry.sdk.language'];
  return typeof v === 'string' ? v : undefined;
}

/** Where an occurrence comes from: its trace, service, revision, location and runtime. */
function sourceOf(item: Pick<Span, 'resource' | 'location'> & { traceId?: string; spanId?: string }): Pick<ExceptionOccurrence, 'traceId' | 'spanId' | 'service' | 'revision' | 'location' | 'runtime'> {
  return {
    traceId: item.traceId,
    spanId: item.spanId,
    service: item.resource.serviceName,
    revision: item.resource.revision,
    location: toLocationView(item.location),
    runtime: runtimeOf(item),
  };
}

function fromSpan(span: Span, out: ExceptionOccurrence[]): void {
  let sawException = false;
  for (const ev of span.events) {
    if (ev.name !== 'exception') continue;
    sawException = true;
    const sent = attrStr(ev.attributes, 'exception.type');
    const stack = attrStr(ev.attributes, 'exception.stacktrace');
    // A database error's type is its name; its SQL state is kept as detail.
    const named = sent ? sqlStateName(sent, attrStr(span.attributes, 'db.system', 'db.system.name'), stack) : undefined;
    const type = named ?? sent;
    out.push({
      atMs: nsToMs(ev.timeNs),
      type: (type ?? 'Error').slice(0, 200),
      ...(named ? { detail: `SQLSTATE ${sent}` } : {}),
      ...(type === undefined ? { typeFromStack: true as const } : {}),
      message: (attrStr(ev.attributes, 'exception.message') ?? '').slice(0, MAX_MESSAGE),
      stack: attrStr(ev.attributes, 'exception.stacktrace')?.slice(0, MAX_STACK),
      ...sourceOf(span),
      source: 'spanEvent',
    });
  }
  if (!sawException && span.status.code === StatusCode.Error && span.status.message) {
    out.push({
      atMs: nsToMs(span.endNs),
      type: (attrStr(span.attributes, 'exception.type', 'error.type') ?? 'Error').slice(0, 200),
      message: span.status.message.slice(0, MAX_MESSAGE),
      ...sourceOf(span),
      source: 'spanStatus',
    });
  }
}

export function extractExceptions(batch: TelemetryBatch): ExceptionOccurrence[] {
  const out: ExceptionOccurrence[] = [];
  for (const span of batch.spans) {
    if (span.events.length || span.status.code === StatusCode.Error) fromSpan(span, out);
  }
  for (const log of batch.logs) {
    const a = log.attributes;
    const type = attrStr(a, 'exception.type');
    const message = attrStr(a, 'exception.message');
    const stack = attrStr(a, 'exception.stacktrace');
    if (type === undefined && message === undefined && stack === undefined) continue;
    const body = typeof log.body === 'string' ? log.body : '';
    out.push({
      atMs: nsToMs(log.timeNs || log.observedTimeNs),
      type: (type ?? 'Error').slice(0, 200),
      ...(type === undefined ? { typeFromStack: true as const } : {}),
      message: (message ?? body).slice(0, MAX_MESSAGE),
      stack: stack?.slice(0, MAX_STACK),
      ...sourceOf(log),
      source: 'log',
    });
  }
  return out;
}
