import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { DecodeError, decodeOtlp, type Signal } from '../../../../collector/receiver/decode';
import { otlpTypes } from '../../../../collector/receiver/schema';

// Seeded mutations of valid requests: the decoder must either return a batch or throw
// DecodeError (→ 400); anything else would be a 500 for a client mistake.
function mutateJson(v: unknown, rnd: () => number): unknown {
  if (rnd() < 0.08) return [null, 5, 'x', true, [], {}, -1, 1e308, 'ffff'][Math.floor(rnd() * 9)];
  if (Array.isArray(v)) return v.map((x) => mutateJson(x, rnd));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mutateJson(x, rnd)]));
  return v;
}
function seeded(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
}
const VALID: Record<Signal, unknown> = {
  traces: { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] }, scopeSpans: [{ scope: { name: 's' }, spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: 'eee19b7ec3c1b175', name: 'x', kind: 2, startTimeUnixNano: '1700000000000000001', endTimeUnixNano: '1700000000000000002', attributes: [{ key: 'k', value: { arrayValue: { values: [{ intValue: '1' }, { kvlistValue: { values: [{ key: 'z', value: { bytesValue: 'AA==' } }] } }] } } }], events: [{ name: 'e', timeUnixNano: '1700000000000000001', attributes: [] }], links: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b176' }], status: { code: 2, message: 'm' } }] }] }] },
  logs: { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1700000000000000001', severityNumber: 9, body: { kvlistValue: { values: [{ key: 'a', value: { doubleValue: 1.5 } }] } }, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' }] }] }] },
  metrics: { resourceMetrics: [{ scopeMetrics: [{ metrics: [
    { name: 'g', gauge: { dataPoints: [{ timeUnixNano: '1700000000000000001', asDouble: 1 }] } },
    { name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: '1700000000000000001', count: '2', sum: 3, bucketCounts: ['1', '1'], explicitBounds: [5] }] } },
    { name: 'e', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: '1700000000000000001', count: '2', scale: 3, zeroCount: '0', positive: { offset: -2, bucketCounts: ['1', '1'] } }] } },
    { name: 's', summary: { dataPoints: [{ timeUnixNano: '1700000000000000001', count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }] } },
  ] }] }] },
};

function onlyDecodeErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
}

describe('decoder robustness', () => {
  for (const signal of ['traces', 'logs', 'metrics'] as Signal[]) {
    it(`never throws anything but DecodeError on 500 mutated ${signal} JSON requests`, () => {
      const rnd = seeded(signal.length * 7919);
      for (let i = 0; i < 500; i++) onlyDecodeErrors(() => decodeOtlp(signal, 'json', Buffer.from(JSON.stringify(mutateJson(VALID[signal], rnd)))));
    });

    it(`never throws anything but DecodeError on 300 corrupted ${signal} protobuf requests`, () => {
      const t = signal === 'traces' ? otlpTypes().traceRequest : signal === 'logs' ? otlpTypes().logsRequest : otlpTypes().metricsRequest;
      const json = JSON.parse(JSON.stringify(VALID[signal]).replace(/"(traceId|spanId|parentSpanId)":"([0-9a-f]+)"/g, (_m, k, h) => `"${k}":"${Buffer.from(h, 'hex').toString('base64')}"`));
      const good = Buffer.from(t.encode(t.fromObject(json)).finish());
      const ok = decodeOtlp(signal, 'protobuf', good);
      assert.equal(ok.spans.length + ok.logs.length + ok.metrics.length > 0, true);
      const rnd = seeded(signal.length * 104729);
      for (let i = 0; i < 300; i++) {
        const bad = Buffer.from(good);
        for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
        onlyDecodeErrors(() => decodeOtlp(signal, 'protobuf', rnd() < 0.2 ? randomBytes(Math.floor(rnd() * 200)) : bad));
      }
    });
  }
});
