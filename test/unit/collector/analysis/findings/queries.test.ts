import { strict as assert } from 'node:assert';
import { context, trace, SpanKind } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { QueryAnalyzer, classifySpan } from '../../../../../collector/analysis/findings/queries';
import { traced } from '../otelHelper';

const RESOURCE = { 'service.name': 'shop-api', 'service.version': '2.3.0' };
const SETTINGS = { slowQueryMs: 200, nPlusOneMin: 10, chattyHttpMin: 10, quietMs: 5000, maxTraces: 100, maxSpansPerTrace: 2000, maxStatements: 100 };
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

/** The example service's list route: one query for the orders, then one per order for its
 *  items (the classic N+1), plus an outgoing HTTP call per order to a pricing service. */
function listOrders(tracer: Tracer, opts: { orders: number; itemQueryMs: number; pricingCalls?: number }): void {
  const root = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: T0, attributes: { 'http.request.method': 'GET', 'http.route': '/orders' } });
  const ctx = trace.setSpan(context.active(), root);
  const list = tracer.startSpan('pg.query:SELECT shop', { kind: SpanKind.CLIENT, startTime: T0 + 1, attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT id, total FROM orders ORDER BY created_at DESC LIMIT 50' } }, ctx);
  list.end(T0 + 4);
  let t = T0 + 5;
  for (let i = 0; i < opts.orders; i++) {
    const q = tracer.startSpan('pg.query:SELECT shop', { kind: SpanKind.CLIENT, startTime: t, attributes: { 'db.system.name': 'postgresql', 'db.query.text': `SELECT * FROM items WHERE order_id = ${1000 + i}` } }, ctx);
    t += opts.itemQueryMs;
    q.end(t);
  }
  for (let i = 0; i < (opts.pricingCalls ?? 0); i++) {
    const h = tracer.startSpan('GET', { kind: SpanKind.CLIENT, startTime: t, attributes: { 'http.request.method': 'GET', 'url.full': `http://pricing:8080/prices/${i + 1}?currency=EUR` } }, ctx);
    t += 3;
    h.end(t);
  }
  root.end(t + 1);
}

describe('analysis/queries', () => {
  it('classifies a db span by its normalised statement (literals become ?)', async () => {
    const batch = await traced(RESOURCE, (tr) => listOrders(tr, { orders: 2, itemQueryMs: 2 }));
    const keys = new Set(batch.spans.map((s) => classifySpan(s)?.statement).filter(Boolean));
    assert.ok(keys.has('SELECT * FROM items WHERE order_id = ?'), [...keys].join(' | '));
  });

  it('finds the N+1: the items query issued 25 times under the list route, with trace id and time lost', async () => {
    const batch = await traced(RESOURCE, (tr) => listOrders(tr, { orders: 25, itemQueryMs: 4 }));
    const qa = new QueryAnalyzer(SETTINGS);
    for (const s of batch.spans) qa.observeSpan(s, 1000);
    assert.equal(qa.flush(2000), 0, 'trace still within its quiet window');
    assert.equal(qa.flush(7000), 1);
    const [f] = qa.repeatedCalls();
    assert.equal(f.kind, 'nPlusOne');
    assert.equal(f.statement, 'SELECT * FROM items WHERE order_id = ?');
    assert.equal(f.parentName, 'GET /orders');
    assert.equal(f.maxRepeats, 25);
    assert.equal(f.service, 'shop-api');
    assert.deepEqual(f.traceIds, [batch.spans[0].traceId]);
    assert.ok(Math.abs(f.totalTimeMs - 100) < 0.01, `total ${f.totalTimeMs}`);
    assert.equal(qa.bufferedTraceCount, 0, 'analysed traces are dropped');
  });

  it('reports where the repeated call is made, from the child spans’ location', async () => {
    const batch = await traced(RESOURCE, (tr) => listOrders(tr, { orders: 12, itemQueryMs: 1 }));
    for (const s of batch.spans) if (classifySpan(s)?.statement.includes('items')) s.location = { file: '/w/shop/src/orders.ts', line: 58, via: 'stack', confidence: 0.9 };
    const qa = new QueryAnalyzer(SETTINGS);
    for (const s of batch.spans) qa.observeSpan(s, 0);
    qa.flush(0, true);
    assert.deepEqual(qa.repeatedCalls()[0].location, { file: '/w/shop/src/orders.ts', line: 58 });
  });

  it('does not report a statement repeated fewer than N times', async () => {
    const batch = await traced(RESOURCE, (tr) => listOrders(tr, { orders: 9, itemQueryMs: 1 }));
    const qa = new QueryAnalyzer(SETTINGS);
    for (const s of batch.spans) qa.observeSpan(s, 0);
    qa.flush(0, true);
    assert.deepEqual(qa.repeatedCalls(), []);
  });

  it('finds chatty HTTP: the same URL template called N+ times in one trace', async () => {
    const batch = await traced(RESOURCE, (tr) => listOrders(tr, { orders: 1, itemQueryMs: 1, pricingCalls: 14 }));
    const qa = new QueryAnalyzer(SETTINGS);
    for (const s of batch.spans) qa.observeSpan(s, 0);
    qa.flush(0, true);
    const f = qa.repeatedCalls().find((x) => x.kind === 'chattyHttp');
    assert.ok(f);
    assert.equal(f.statement, 'GET pricing:8080/prices/{id}');
    assert.equal(f.maxRepeats, 14);
  });

  it('aggregates slow queries by statement with p50/p95 over the threshold only', async () => {
    const batch = await traced(RESOURCE, (tr) => listOrders(tr, { orders: 3, itemQueryMs: 250 }));
    const qa = new QueryAnalyzer(SETTINGS);
    for (const s of batch.spans) qa.observeSpan(s, 0);
    assert.deepEqual(qa.slowQueries(), [], 'statements are aggregated when the trace is analysed, off the ingest path');
    qa.flush(0, true);
    const slow = qa.slowQueries();
    assert.equal(slow.length, 1, 'the 3 ms list query is not slow');
    assert.equal(slow[0].statement, 'SELECT * FROM items WHERE order_id = ?');
    assert.equal(slow[0].slowCalls, 3);
    assert.ok(Math.abs(slow[0].p95Ms - 250) / 250 < 0.02, `p95 ${slow[0].p95Ms}`);
    assert.equal(slow[0].dbSystem, 'postgresql');
    assert.deepEqual(slow[0].slowPerMinute, [{ minuteMs: T0, count: 3 }]);
  });

  it('bounds the trace buffer: the oldest trace is analysed and dropped when full', async () => {
    const qa = new QueryAnalyzer({ ...SETTINGS, maxTraces: 3 });
    for (let i = 0; i < 5; i++) {
      const b = await traced(RESOURCE, (tr) => listOrders(tr, { orders: 10, itemQueryMs: 1 }));
      for (const s of b.spans) qa.observeSpan(s, i);
    }
    assert.equal(qa.bufferedTraceCount, 3);
    assert.equal(qa.repeatedCalls()[0].occurrences, 2, 'the two evicted traces were analysed, not lost');
  });

  it('keeps findings across toJSON/load', async () => {
    const batch = await traced(RESOURCE, (tr) => listOrders(tr, { orders: 11, itemQueryMs: 300 }));
    const qa = new QueryAnalyzer(SETTINGS);
    for (const s of batch.spans) qa.observeSpan(s, 0);
    qa.flush(0, true);
    const copy = new QueryAnalyzer(SETTINGS);
    copy.load(JSON.parse(JSON.stringify(qa.toJSON())));
    assert.deepEqual(copy.repeatedCalls(), qa.repeatedCalls());
    assert.deepEqual(copy.slowQueries(), qa.slowQueries());
  });
});
