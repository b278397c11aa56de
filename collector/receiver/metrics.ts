// ExportMetricsServiceRequest → MetricPoint[] in the batch. Validation is per data point;
// a metric without a name or without data rejects all of its points.
import type { Attributes, MetricPoint, Resource, Scope, Temporality } from '../model/types';
import { arrayOf, readResource, readScope } from './resource';
import { checkTime } from './timeWindow';
import { clip, ItemError, own, readAttributes, readCount, readDouble, readEnum, readI64, readText, readU64, type Ctx } from './values';

type Loose = Record<string, unknown>;
type Reject = (what: 'metrics', n: number, reason: string) => void;
const TEMPORALITY: Temporality[] = ['unspecified', 'delta', 'cumulative'];
const TEMP_NAMES = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];
const KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

export function readMetrics(req: unknown, ctx: Ctx, reject: Reject): void {
  for (const rm of arrayOf((req as Loose).resourceMetrics, 'resourceMetrics')) {
    const r = (rm ?? {}) as Loose;
    const resource = readResource(r.resource, ctx);
    for (const sm of arrayOf(r.scopeMetrics, 'scopeMetrics')) {
      const s = (sm ?? {}) as Loose;
      const scope = readScope(s.scope, ctx);
      for (const m of arrayOf(s.metrics, 'metrics')) readMetric((m ?? {}) as Loose, resource, scope, ctx, reject);
    }
  }
}

function readMetric(m: Loose, resource: Resource, scope: Scope, ctx: Ctx, reject: Reject): void {
  const kind = KINDS.find((k) => own(m, k));
  const data = kind ? ((m[kind] ?? {}) as Loose) : undefined;
  const points = data ? arrayOf(data.dataPoints, 'dataPoints') : [];
  const name = typeof m.name === 'string' ? clip(m.name, ctx) : '';
  if (!kind || !data) return reject('metrics', 0, `metric ${JSON.stringify(name)} has no data`);
  if (name === '') return reject('metrics', points.length, 'metric has no name');
  let temporality: Temporality = 'unspecified';
  try {
    temporality = TEMPORALITY[readEnum(data.aggregationTemporality, 2, 'aggregationTemporality', TEMP_NAMES)];
  } catch (err) {
    if (!(err instanceof ItemError)) throw err;
    return reject('metrics', points.length, `metric ${name}: ${err.message}`);
  }
  const unit = readText(m.unit, 'unit', ctx);
  const description = readText(m.description, 'description', ctx);
  for (const raw of points) {
    try {
      const p = (raw ?? {}) as Loose;
      const base = {
        metric: name,
        attributes: readAttributes(p.attributes, ctx) as Attributes,
        timeNs: readU64(p.timeUnixNano, 'timeUnixNano'),
        resource,
        scope,
      } as MetricPoint;
      if (base.timeNs === 0n) throw new ItemError('data point has no timeUnixNano');
      checkTime(base.timeNs, 'data point timeUnixNano', ctx);
      const start = readU64(p.startTimeUnixNano, 'startTimeUnixNano');
      checkTime(start, 'data point startTimeUnixNano', ctx);
      if (start) base.startNs = start;
      if (unit) base.unit = unit;
      if (description) base.description = description;
      ctx.batch.metrics.push(fillPoint(kind, base, p, data, temporality));
    } catch (err) {
      if (!(err instanceof ItemError)) throw err;
      reject('metrics', 1, `metric ${name}: ${err.message}`);
    }
  }
}

function optDouble(p: Loose, k: string): number | undefined {
  return own(p, k) && p[k] !== null && p[k] !== undefined ? readDouble(p[k], k) : undefined;
}

function counts(list: unknown, what: string): number[] {
  return arrayOf(list, what).map((c) => readCount(c, what));
}

function fillPoint(kind: (typeof KINDS)[number], base: MetricPoint, p: Loose, data: Loose, temporality: Temporality): MetricPoint {
  switch (kind) {
    case 'gauge':
    case 'sum': {
      let value: number;
      if (own(p, 'asDouble')) value = readDouble(p.asDouble, 'asDouble');
      else if (own(p, 'asInt')) value = Number(readI64(p.asInt, 'asInt'));
      else throw new ItemError('number data point has no value');
      const pt = { ...base, kind, value } as MetricPoint & { kind: 'gauge' | 'sum' };
      if (kind === 'sum') { pt.temporality = temporality; pt.monotonic = data.isMonotonic === true; }
      return pt;
    }
    case 'histogram': {
      const bounds = arrayOf(p.explicitBounds, 'explicitBounds').map((b) => readDouble(b, 'explicitBounds'));
      const bucketCounts = counts(p.bucketCounts, 'bucketCounts');
      if (bucketCounts.length !== 0 && bucketCounts.length !== bounds.length + 1) throw new ItemError(`histogram has ${bucketCounts.length} bucket counts for ${bounds.length} bounds`);
      for (let i = 1; i < bounds.length; i++) if (!(bounds[i] > bounds[i - 1])) throw new ItemError('histogram bounds are not increasing');
      return { ...base, kind, temporality, count: readCount(p.count, 'count'), sum: optDouble(p, 'sum'), min: optDouble(p, 'min'), max: optDouble(p, 'max'), bounds, bucketCounts } as MetricPoint;
    }
    case 'exponentialHistogram': {
      const scale = Number(p.scale ?? 0);
      if (!Number.isInteger(scale) || scale < -10 || scale > 20) throw new ItemError(`exponential histogram scale ${JSON.stringify(p.scale)} is out of range`);
      const buckets = (b: unknown) => {
        const o = (b ?? {}) as Loose;
        const offset = Number(o.offset ?? 0);
        if (!Number.isInteger(offset)) throw new ItemError('bucket offset must be an integer');
        return { offset, bucketCounts: counts(o.bucketCounts, 'bucketCounts') };
      };
      return {
        ...base, kind, temporality, count: readCount(p.count, 'count'), sum: optDouble(p, 'sum'), min: optDouble(p, 'min'), max: optDouble(p, 'max'),
        scale, zeroCount: readCount(p.zeroCount, 'zeroCount'), positive: buckets(p.positive), negative: buckets(p.negative),
      } as MetricPoint;
    }
    case 'summary': {
      const quantiles = arrayOf(p.quantileValues, 'quantileValues').map((q) => {
        const o = (q ?? {}) as Loose;
        return { quantile: readDouble(o.quantile ?? 0, 'quantile'), value: readDouble(o.value ?? 0, 'value') };
      });
      return { ...base, kind, count: readCount(p.count, 'count'), sum: readDouble(p.sum ?? 0, 'sum'), quantiles } as MetricPoint;
    }
  }
}
