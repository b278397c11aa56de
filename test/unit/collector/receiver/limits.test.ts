// Every string field and list of a request is bounded, and times outside the accepted window
// reject their item (issue 13: 15 MiB strings in keys, event names and status messages, and
// unlimited events per span, were stored and sent to the UI; year-2500 times pinned segments).
import { strict as assert } from 'node:assert';
import { decodeOtlp } from '../../../../collector/receiver/decode';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o));
const kv = (key: string, value: unknown) => ({ key, value });
const NOW_NS = 1_800_000_000_000_000_000n;
const AT = String(NOW_NS - 1_000_000_000n);
const span = (over: Record<string, unknown> = {}) => ({ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'op', startTimeUnixNano: AT, endTimeUnixNano: AT, ...over });
const traces = (spans: unknown[], scope: unknown = { name: 's' }) => enc({ resourceSpans: [{ scopeSpans: [{ scope, spans }] }] });
const LIMITS = { maxValueLength: 16 };
const long = 'x'.repeat(1000);

describe('collector/receiver limits', () => {
  it('cuts attribute keys, span, event and scope names and status messages to the string limit, counting each cut', () => {
    const b = decodeOtlp('traces', 'json', traces([span({
      name: long,
      status: { code: 2, message: long },
      attributes: [kv(long, { stringValue: 'v' })],
      events: [{ name: long, timeUnixNano: AT }],
    })], { name: long, version: long }), LIMITS, NOW_NS);
    const s = b.spans[0];
    assert.equal(s.name.length, 16);
    assert.equal(s.status.message!.length, 16);
    assert.deepEqual(Object.keys(s.attributes), ['x'.repeat(16)]);
    assert.equal(s.events[0].name.length, 16);
    assert.equal(s.scope.name.length, 16);
    assert.equal(s.scope.version!.length, 16);
    assert.equal(b.truncated, 6);
  });

  it('cuts severity text, event names and string bodies of log records', () => {
    const b = decodeOtlp('logs', 'json', enc({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: AT, severityText: long, eventName: long, body: { stringValue: long } }] }] }] }), LIMITS, NOW_NS);
    const r = b.logs[0];
    assert.equal(r.severityText!.length, 16);
    assert.equal((r.body as string).length, 16);
    assert.equal((r.attributes['event.name'] as string).length, 16);
  });

  it('cuts metric names, units and descriptions', () => {
    const b = decodeOtlp('metrics', 'json', enc({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: long, unit: long, description: long, gauge: { dataPoints: [{ timeUnixNano: AT, asDouble: 1 }] } }] }] }] }), LIMITS, NOW_NS);
    const p = b.metrics[0];
    assert.deepEqual([p.metric.length, p.unit!.length, p.description!.length], [16, 16, 16]);
  });

  it('keeps the first events and links of a span and counts the rest as truncated', () => {
    const events = Array.from({ length: 200 }, (_, i) => ({ name: `e${i}`, timeUnixNano: AT }));
    const links = Array.from({ length: 150 }, (_, i) => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: (i + 1).toString(16).padStart(16, '0') }));
    const b = decodeOtlp('traces', 'json', traces([span({ events, links })]), { maxEvents: 128, maxLinks: 100 }, NOW_NS);
    assert.equal(b.spans[0].events.length, 128);
    assert.equal(b.spans[0].events[127].name, 'e127');
    assert.equal(b.spans[0].links.length, 100);
    assert.equal(b.truncated, 72 + 50);
  });

  it('rejects spans, log records and data points timed far in the future or before 2000, one by one', () => {
    const future = String(NOW_NS + 365n * 86_400n * 1_000_000_000n);
    const past = '1';
    const t = decodeOtlp('traces', 'json', traces([span(), span({ spanId: 'aaaaaaaaaaaaaaab', startTimeUnixNano: future, endTimeUnixNano: future }), span({ spanId: 'aaaaaaaaaaaaaaac', startTimeUnixNano: past, endTimeUnixNano: past }), span({ spanId: 'aaaaaaaaaaaaaaad', endTimeUnixNano: future })]), {}, NOW_NS);
    assert.deepEqual(t.spans.map((s) => s.spanId), ['eee19b7ec3c1b174']);
    assert.equal(t.rejected.spans, 3);
    assert.ok(t.rejected.reasons.some((r) => /in the future/.test(r)));
    assert.ok(t.rejected.reasons.some((r) => /before 2000/.test(r)));
    const l = decodeOtlp('logs', 'json', enc({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: AT }, { timeUnixNano: future }, { observedTimeUnixNano: future }] }] }] }), {}, NOW_NS);
    assert.equal(l.logs.length, 1);
    assert.equal(l.rejected.logs, 2);
    const m = decodeOtlp('metrics', 'json', enc({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: AT, asDouble: 1 }, { timeUnixNano: future, asDouble: 2 }] } }] }] }] }), {}, NOW_NS);
    assert.equal(m.metrics.length, 1);
    assert.equal(m.rejected.metrics, 1);
  });

  it('accepts times within the allowed clock skew', () => {
    const soon = String(NOW_NS + 30n * 60n * 1_000_000_000n);
    const b = decodeOtlp('traces', 'json', traces([span({ startTimeUnixNano: soon, endTimeUnixNano: soon })]), {}, NOW_NS);
    assert.equal(b.spans.length, 1);
  });

  it('moves an event timed outside the window to its span start instead of rejecting the span', () => {
    const b = decodeOtlp('traces', 'json', traces([span({ events: [{ name: 'e', timeUnixNano: '99999999999999999999' }] })]), {}, NOW_NS);
    assert.equal(b.spans[0].events[0].timeNs, BigInt(AT));
    assert.equal(b.truncated, 1);
  });
});
