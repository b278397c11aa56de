// The test span builder agrees with the receiver: the OTLP/JSON it writes decodes, with the
// collector's own decoder, to the very spans it built — so tests that build spans and tests
// that post them speak of the same telemetry.
import { strict as assert } from 'node:assert';
import { decodeOtlp } from '../../../collector/receiver/decode';
import { SpanKind, StatusCode } from '../../../collector/model/types';
import { at, batchOf, dbSpan, exceptionEvent, otlpTraces, resource, serverSpan, spanRows, T0 } from '../../harness/spans';

describe('test span builder (test/harness/spans.ts)', () => {
  it('writes OTLP/JSON that the receiver decodes back to the same spans', () => {
    const shop = resource('shop', { 'service.version': '1.2.3', 'process.pid': 4242 });
    const root = serverSpan({ service: shop, route: '/orders/:id', atMs: T0, durMs: 40, error: 'payment declined', events: [exceptionEvent('TypeError', 'x is undefined', { stack: 'TypeError: x\n    at f (/w/a.js:1:1)', atMs: T0 + 30 })] });
    const q = dbSpan({ service: shop, parent: root, statement: 'SELECT * FROM orders WHERE id = $1', atMs: T0 + 5, durMs: 3.5, attributes: { 'db.rows': 2.5, tags: ['a', 'b'] } });
    const other = serverSpan({ service: 'billing', route: '/pay', method: 'POST', atMs: T0 + 100 });
    const body = new TextEncoder().encode(JSON.stringify(otlpTraces([root, q, other])));
    const decoded = decodeOtlp('traces', 'json', body);
    assert.equal(decoded.rejected.spans, 0, decoded.rejected.reasons.join('; '));
    assert.equal(decoded.spans.length, 3);
    const strip = (s: typeof root) => ({ ...s, resource: { attributes: s.resource.attributes, serviceName: s.resource.serviceName } });
    assert.deepEqual(decoded.spans.map(strip), [root, q, other].map(strip));
    assert.equal((otlpTraces([root, q, other]).resourceSpans as unknown[]).length, 2, 'one resource entry per resource');
  });

  it('gives each kind of span what the analysis and the series read from it', () => {
    const root = serverSpan({ error: true, location: at('/w/src/orders.ts', 12, 'getOrder') });
    const q = dbSpan({ parent: root, statement: 'SELECT 1' });
    assert.equal(root.kind, SpanKind.Server);
    assert.equal(root.status.code, StatusCode.Error);
    assert.equal(root.attributes['http.response.status_code'], 500);
    assert.equal(q.traceId, root.traceId);
    assert.equal(q.parentSpanId, root.spanId);
    assert.notEqual(q.spanId, root.spanId);
    const [row] = spanRows([root]);
    assert.equal(row.f, '/w/src/orders.ts');
    assert.equal(row.l, 12);
    assert.equal(row.r, '/orders');
    assert.equal(row.e, 1, 'failed by the one rule');
    assert.equal(batchOf([root, q]).spans.length, 2);
  });
});
