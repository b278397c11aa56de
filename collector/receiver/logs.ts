// ExportLogsServiceRequest → LogRecord[] in the batch; bad records rejected one by one.
import type { LogRecord } from '../model/types';
import { arrayOf, readResource, readScope } from './resource';
import { checkTime } from './timeWindow';
import { ItemError, readAnyValue, readAttributes, readId, readText, readU64, type Ctx } from './values';

type Loose = Record<string, unknown>;

export function readLogs(req: unknown, ctx: Ctx, reject: (what: 'logs', n: number, reason: string) => void): void {
  for (const rl of arrayOf((req as Loose).resourceLogs, 'resourceLogs')) {
    const r = (rl ?? {}) as Loose;
    const resource = readResource(r.resource, ctx);
    for (const sl of arrayOf(r.scopeLogs, 'scopeLogs')) {
      const s = (sl ?? {}) as Loose;
      const scope = readScope(s.scope, ctx);
      for (const raw of arrayOf(s.logRecords, 'logRecords')) {
        try {
          const rec = readLog((raw ?? {}) as Loose, ctx);
          rec.resource = resource;
          rec.scope = scope;
          ctx.batch.logs.push(rec);
        } catch (err) {
          if (!(err instanceof ItemError)) throw err;
          reject('logs', 1, err.message);
        }
      }
    }
  }
}

function readLog(o: Loose, ctx: Ctx): LogRecord {
  const time = readU64(o.timeUnixNano, 'timeUnixNano');
  const observed = readU64(o.observedTimeUnixNano, 'observedTimeUnixNano');
  checkTime(time, 'log timeUnixNano', ctx);
  checkTime(observed, 'log observedTimeUnixNano', ctx);
  // The spec lets either time be absent; fall back to the other, then to arrival time.
  const observedTimeNs = observed || time || ctx.batch.receivedAtNs;
  const sev = o.severityNumber ?? 0;
  if (typeof sev !== 'number' || !Number.isInteger(sev) || sev < 0 || sev > 24) throw new ItemError(`severityNumber must be 0..24, got ${JSON.stringify(sev)}`);
  const rec: LogRecord = {
    timeNs: time || observedTimeNs,
    observedTimeNs,
    severityNumber: sev,
    body: readAnyValue(o.body, ctx),
    attributes: readAttributes(o.attributes, ctx),
    resource: undefined as never,
    scope: undefined as never,
  };
  const text = readText(o.severityText, 'severityText', ctx);
  if (text) rec.severityText = text;
  const traceId = readId(o.traceId, 16, 'log traceId');
  const spanId = readId(o.spanId, 8, 'log spanId');
  if (traceId) rec.traceId = traceId;
  if (spanId) rec.spanId = spanId;
  const eventName = readText(o.eventName, 'eventName', ctx);
  if (eventName && !('event.name' in rec.attributes)) rec.attributes['event.name'] = eventName;
  return rec;
}
