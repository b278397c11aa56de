import { strict as assert } from 'node:assert';
import { CompressionAlgorithm, ExportResultCode, makeLogs, makeMetrics, makeSpans, sendLogs, sendMetrics, sendSpans, type Wire } from './otelPayloads';
import { startCollector, type Running } from './harness';

for (const wire of ['json', 'protobuf'] as Wire[]) {
  describe(`official OTel exporters over http/${wire}`, () => {
    let c: Running;
    beforeEach(async () => { c = await startCollector(); });
    afterEach(async () => { await c.stop(); });

    it('stores exported spans and reads the trace back through the live client', async () => {
      const spans = await makeSpans();
      const r = await sendSpans(c.url, wire, spans);
      assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
      const traceId = spans[0].spanContext().traceId;
      const views = await c.client.request('trace', { traceId });
      assert.equal(views.length, 3);
      const root = views.find((v) => v.name === 'GET /orders/:id')!;
      assert.equal(root.kind, 2);
      assert.equal(root.service, 'checkout');
      assert.equal(root.attributes['code.lineno'], 42);
      const db = views.find((v) => v.name === 'SELECT orders')!;
      assert.equal(db.parentSpanId, root.spanId);
      assert.deepEqual(db.attributes.tags, ['a', 'b']);
      assert.equal(db.attributes.ratio, 0.25);
      assert.equal(db.attributes.cached, false);
      assert.equal(db.events[0].name, 'rows fetched');
      const pay = views.find((v) => v.name === 'POST payments')!;
      assert.equal(pay.statusCode, 2);
      assert.equal(pay.statusMessage, 'card declined');
      assert.equal(pay.events[0].name, 'exception');
    });

    it('keeps nanosecond times exact as bigint and fills resource, scope and revision', async () => {
      const spans = await makeSpans();
      await sendSpans(c.url, wire, spans);
      const src = spans.find((s) => s.name === 'SELECT orders')!;
      const got = c.store.spans.find((s) => s.name === 'SELECT orders')!;
      const ns = BigInt(src.startTime[0]) * 1_000_000_000n + BigInt(src.startTime[1]);
      assert.equal(got.startNs, ns);
      assert.equal(got.endNs - got.startNs, BigInt(src.duration[0]) * 1_000_000_000n + BigInt(src.duration[1]));
      assert.equal(got.resource.serviceName, 'checkout');
      assert.equal(got.resource.revision, '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432');
      assert.deepEqual(got.scope, { name: 'shop.orders', version: '2.0.1' });
      assert.equal(got.spanId, src.spanContext().spanId);
    });

    it('stores spans the exporter sent gzip-compressed', async () => {
      const r = await sendSpans(c.url, wire, await makeSpans(), undefined, CompressionAlgorithm.GZIP);
      assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
      assert.equal(c.store.spans.length, 3);
    });

    it('stores exported log records with trace context, severity and structured bodies', async () => {
      const logs = await makeLogs({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' });
      const r = await sendLogs(c.url, wire, logs);
      assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
      assert.equal(c.store.logRecords.length, 2);
      const views = await c.client.request('logs', { traceId: '0af7651916cd43dd8448eb211c80319c' });
      assert.equal(views.length, 1);
      const err = views.find((v) => v.severityText === 'ERROR')!;
      assert.equal(err.severityNumber, 17);
      assert.equal(err.body, 'payment failed for order 17');
      assert.equal(err.spanId, 'b7ad6b7169203331');
      assert.deepEqual(c.store.logRecords.find((l) => l.severityText === 'INFO')!.body, { msg: 'structured', n: 2 });
    });

    it('stores gauge, sum, histogram and exponential histogram points', async () => {
      const r = await sendMetrics(c.url, wire, await makeMetrics());
      assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
      const by = (name: string) => c.store.metrics.find((m) => m.metric === name)!;
      const gauge = by('process.memory.usage');
      assert.equal(gauge.kind, 'gauge');
      assert.equal(gauge.kind === 'gauge' && gauge.value, 123456);
      assert.equal(gauge.unit, 'By');
      const sum = by('orders.created');
      assert.ok(sum.kind === 'sum' && sum.value === 5 && sum.monotonic && sum.temporality === 'cumulative');
      const hist = by('http.server.duration');
      assert.ok(hist.kind === 'histogram');
      assert.equal(hist.count, 4);
      assert.equal(hist.sum, 313);
      assert.equal(hist.min, 3);
      assert.equal(hist.max, 250);
      assert.equal(hist.bucketCounts.length, hist.bounds.length + 1);
      assert.equal(hist.bucketCounts.reduce((a, b) => a + b, 0), 4);
      const exp = by('http.server.exp_duration');
      assert.ok(exp.kind === 'exponentialHistogram');
      assert.equal(exp.count, 5);
      assert.equal(exp.positive.bucketCounts.reduce((a, b) => a + b, 0), 5);
      assert.equal(exp.max, 1000);
    });
  });
}
