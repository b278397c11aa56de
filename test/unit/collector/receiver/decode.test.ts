import { strict as assert } from 'node:assert';
import { decodeOtlp } from '../../../../collector/receiver/decode';
import { revisionOf } from '../../../../collector/model/revision';
import { otlpTypes } from '../../../../collector/receiver/schema';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o));
const kv = (key: string, value: unknown) => ({ key, value });
const span = (over: Record<string, unknown> = {}) => ({ traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'eee19b7ec3c1b174', name: 'op', startTimeUnixNano: 1700000000000000001, endTimeUnixNano: '1700000000000000002', ...over });
const tracesReq = (spans: unknown[], resourceAttrs: unknown[] = []) => ({ resourceSpans: [{ resource: { attributes: resourceAttrs }, scopeSpans: [{ spans }] }] });

describe('decodeOtlp', () => {
  it('lowercases hex ids and accepts 64-bit times as numbers or strings', () => {
    const b = decodeOtlp('traces', 'json', enc(tracesReq([span({ startTimeUnixNano: 1700000000000000000 })])));
    assert.equal(b.spans[0].traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(b.spans[0].startNs, 1700000000000000000n);
    assert.equal(b.spans[0].endNs, 1700000000000000002n);
  });

  it('ignores unknown fields at every level', () => {
    const req = { resourceSpans: [{ future: 1, resource: { attributes: [], x: 2 }, scopeSpans: [{ scope: { name: 'n', y: 3 }, spans: [span({ zz: { deep: true } })] }] }], extra: 'x' };
    const b = decodeOtlp('traces', 'json', enc(req));
    assert.equal(b.spans.length, 1);
    assert.equal(b.rejected.spans, 0);
  });

  it('converts every AnyValue kind, bytes to base64 and big ints to bigint', () => {
    const attrs = [
      kv('s', { stringValue: 'x' }), kv('b', { boolValue: true }), kv('i', { intValue: '42' }), kv('big', { intValue: '9007199254740993' }),
      kv('d', { doubleValue: 1.5 }), kv('arr', { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'two' }] } }),
      kv('kv', { kvlistValue: { values: [kv('inner', { boolValue: false })] } }), kv('bytes', { bytesValue: 'AQID' }), kv('empty', {}),
    ];
    const b = decodeOtlp('traces', 'json', enc(tracesReq([span({ attributes: attrs })])));
    assert.deepEqual(b.spans[0].attributes, { s: 'x', b: true, i: 42, big: 9007199254740993n, d: 1.5, arr: [1, 'two'], kv: { inner: false }, bytes: 'AQID', empty: null });
  });

  it('turns protobuf bytes values into base64 like JSON', () => {
    const t = otlpTypes().traceRequest;
    const msg = t.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 0xab), spanId: Buffer.alloc(8, 0xcd), name: 'p', startTimeUnixNano: '1700000000000000005', endTimeUnixNano: '1700000000000000006', attributes: [{ key: 'raw', value: { bytesValue: Buffer.from([1, 2, 3]) } }, { key: 'neg', value: { intValue: -7 } }] }] }] }] });
    const b = decodeOtlp('traces', 'protobuf', t.encode(msg).finish());
    assert.equal(b.spans[0].traceId, 'ab'.repeat(16));
    assert.equal(b.spans[0].spanId, 'cd'.repeat(8));
    assert.deepEqual(b.spans[0].attributes, { raw: 'AQID', neg: -7 });
  });

  it('cuts long values and extra attributes and counts each cut', () => {
    const attrs = [kv('long', { stringValue: 'x'.repeat(100) }), kv('a', { intValue: 1 }), kv('b', { intValue: 2 }), kv('c', { intValue: 3 })];
    const b = decodeOtlp('traces', 'json', enc(tracesReq([span({ attributes: attrs })])), { maxAttributes: 3, maxValueLength: 10 });
    assert.deepEqual(b.spans[0].attributes, { long: 'x'.repeat(10), a: 1, b: 2 });
    assert.equal(b.truncated, 2);
  });

  it('rejects spans without a name, with a bad parent id or an unknown kind, and keeps the rest', () => {
    const b = decodeOtlp('traces', 'json', enc(tracesReq([span(), span({ name: '' }), span({ parentSpanId: 'abc' }), span({ kind: 9 })])));
    assert.equal(b.spans.length, 1);
    assert.equal(b.rejected.spans, 3);
    assert.equal(b.rejected.reasons.length, 3);
  });

  it('keeps span events and links with their attributes, and rejects a span with a broken link', () => {
    const link = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: [kv('why', { stringValue: 'batch' })] };
    const b = decodeOtlp('traces', 'json', enc(tracesReq([span({ links: [link], events: [{ name: 'retry', timeUnixNano: '1700000000000000007', attributes: [kv('n', { intValue: '2' })] }] }), span({ links: [{ traceId: 'x' }] })])));
    assert.deepEqual(b.spans[0].links, [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: { why: 'batch' } }]);
    assert.deepEqual(b.spans[0].events, [{ name: 'retry', timeNs: 1700000000000000007n, attributes: { n: 2 } }]);
    assert.equal(b.rejected.spans, 1);
  });

  it('accepts span kinds given by enum name', () => {
    const b = decodeOtlp('traces', 'json', enc(tracesReq([span({ kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR', message: 'boom' } })])));
    assert.equal(b.spans[0].kind, 3);
    assert.deepEqual(b.spans[0].status, { code: 2, message: 'boom' });
  });

  it('names the service "unknown_service" when service.name is missing', () => {
    const b = decodeOtlp('traces', 'json', enc(tracesReq([span()])));
    assert.equal(b.spans[0].resource.serviceName, 'unknown_service');
    assert.equal(b.spans[0].resource.revision, undefined);
  });

  it('takes the revision from vcs attributes, git.commit.sha, or a SHA- or tag-like service.version (one rule with the deploy tracker)', () => {
    assert.equal(revisionOf({ 'vcs.repository.ref.revision': 'abc1234', 'service.version': 'deadbeef' }), 'abc1234');
    assert.equal(revisionOf({ 'git.commit.sha': 'f00d' }), 'f00d');
    assert.equal(revisionOf({ 'service.version': 'DEADBEEF12' }), 'deadbeef12');
    assert.equal(revisionOf({ 'service.version': 'v1.2.3' }), 'v1.2.3');
    assert.equal(revisionOf({ 'service.version': 'latest' }), undefined);
  });

  it('falls back to observed time for logs without a time and rejects bad severities', () => {
    const req = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ observedTimeUnixNano: '1700000000000000123', body: { stringValue: 'hi' } }, { severityNumber: 99, timeUnixNano: '1700000000000000001' }, { timeUnixNano: '1700000000000000005', traceId: 'zz' }] }] }] };
    const b = decodeOtlp('logs', 'json', enc(req), undefined, 1700000000000000999n);
    assert.equal(b.logs.length, 1);
    assert.equal(b.logs[0].timeNs, 1700000000000000123n);
    assert.equal(b.logs[0].body, 'hi');
    assert.equal(b.rejected.logs, 2);
  });

  it('rejects all points of a metric without a name and a histogram whose buckets do not match its bounds', () => {
    const pt = { timeUnixNano: '1700000000000000010', asInt: '4' };
    const req = { resourceMetrics: [{ scopeMetrics: [{ metrics: [
      { name: '', gauge: { dataPoints: [pt, pt] } },
      { name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: '1700000000000000010', count: '3', bucketCounts: ['1', '2'], explicitBounds: [1, 2] }] } },
      { name: 'ok', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [pt] } },
      { name: 'sm', summary: { dataPoints: [{ timeUnixNano: '1700000000000000010', count: 2, sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }] } },
    ] }] }] };
    const b = decodeOtlp('metrics', 'json', enc(req));
    assert.equal(b.rejected.metrics, 3);
    assert.deepEqual(b.metrics.map((m) => [m.metric, m.kind]), [['ok', 'sum'], ['sm', 'summary']]);
    const sum = b.metrics[0];
    assert.ok(sum.kind === 'sum' && sum.value === 4 && sum.temporality === 'cumulative');
  });

  it('accepts an empty JSON body as an empty request', () => {
    const b = decodeOtlp('metrics', 'json', Buffer.alloc(0));
    assert.equal(b.metrics.length, 0);
  });
});
