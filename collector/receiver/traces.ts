// ExportTraceServiceRequest (JSON object or protobufjs message) → Span[] in the batch.
// Each span is validated on its own: a bad one is rejected and counted, the rest are kept.
import type { Span, SpanEvent, SpanLink } from '../model/types';
import { arrayOf, readResource, readScope } from './resource';
import { checkTime, inWindow } from './timeWindow';
import { firstOf, ItemError, readAttributes, readEnum, readId, readText, readU64, type Ctx } from './values';

const KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'] as const;
const CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;
type Loose = Record<string, unknown>;

export function readTraces(req: unknown, ctx: Ctx, reject: (what: 'spans', n: number, reason: string) => void): void {
  for (const rs of arrayOf((req as Loose).resourceSpans, 'resourceSpans')) {
    const r = (rs ?? {}) as Loose;
    const resource = readResource(r.resource, ctx);
    for (const ss of arrayOf(r.scopeSpans, 'scopeSpans')) {
      const s = (ss ?? {}) as Loose;
      const scope = readScope(s.scope, ctx);
      for (const raw of arrayOf(s.spans, 'spans')) {
        try {
          const span = readSpan((raw ?? {}) as Loose, ctx);
          span.resource = resource;
          span.scope = scope;
          ctx.batch.spans.push(span);
        } catch (err) {
          if (!(err instanceof ItemError)) throw err;
          reject('spans', 1, err.message);
        }
      }
    }
  }
}

function readSpan(o: Loose, ctx: Ctx): Span {
  const traceId = readId(o.traceId, 16, 'traceId');
  const spanId = readId(o.spanId, 8, 'spanId');
  if (!traceId) throw new ItemError('span has no traceId');
  if (!spanId) throw new ItemError('span has no spanId');
  const name = readText(o.name, 'span name', ctx);
  if (name === '') throw new ItemError(`span ${spanId} has no name`);
  const startNs = readU64(o.startTimeUnixNano, 'startTimeUnixNano');
  const endNs = readU64(o.endTimeUnixNano, 'endTimeUnixNano');
  if (startNs === 0n) throw new ItemError(`span ${spanId} has no startTimeUnixNano`);
  if (endNs < startNs) throw new ItemError(`span ${spanId} ends before it starts`);
  checkTime(startNs, `span ${spanId} startTimeUnixNano`, ctx);
  checkTime(endNs, `span ${spanId} endTimeUnixNano`, ctx);
  const st = (o.status ?? {}) as Loose;
  const message = readText(st.message, 'status message', ctx);
  const span: Span = {
    traceId,
    spanId,
    name,
    kind: readEnum(o.kind, 5, 'span kind', KINDS),
    startNs,
    endNs,
    status: message ? { code: readEnum(st.code, 2, 'status code', CODES), message } : { code: readEnum(st.code, 2, 'status code', CODES) },
    attributes: readAttributes(o.attributes, ctx),
    events: firstOf(arrayOf(o.events, 'events'), ctx.limits.maxEvents, ctx).map((e) => readEvent((e ?? {}) as Loose, startNs, ctx)),
    links: firstOf(arrayOf(o.links, 'links'), ctx.limits.maxLinks, ctx).map((l) => readLink((l ?? {}) as Loose, ctx)),
    resource: undefined as never,
    scope: undefined as never,
  };
  const parent = readId(o.parentSpanId, 8, 'parentSpanId');
  if (parent) span.parentSpanId = parent;
  return span;
}

/** An event time outside the accepted window is replaced by the span's start (counted as
 *  truncated): the span itself is valid, and one bogus event should not reject it. */
function readEvent(o: Loose, spanStartNs: bigint, ctx: Ctx): SpanEvent {
  let timeNs = readU64(o.timeUnixNano, 'event timeUnixNano');
  if (timeNs !== 0n && !inWindow(timeNs, ctx)) {
    ctx.batch.truncated++;
    timeNs = spanStartNs;
  }
  return { name: readText(o.name, 'event name', ctx), timeNs, attributes: readAttributes(o.attributes, ctx) };
}

function readLink(o: Loose, ctx: Ctx): SpanLink {
  const traceId = readId(o.traceId, 16, 'link traceId');
  const spanId = readId(o.spanId, 8, 'link spanId');
  if (!traceId || !spanId) throw new ItemError('link needs traceId and spanId');
  return { traceId, spanId, attributes: readAttributes(o.attributes, ctx) };
}
