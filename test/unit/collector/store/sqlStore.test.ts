import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { makeBatch, makeGauge, makeLog, makeTrace, spanBatch, RESOURCE } from './batches';
import { harness } from './storeHarness';
import type { Harness } from './storeHarness';

describe('SqlStore', () => {
  let h: Harness;
  const now = Date.now();
  beforeEach(() => { h = harness(); });
  afterEach(() => h.cleanup());

  it('returns a stored trace with its spans, attributes, events and location', async () => {
    const s = await h.open();
    const spans = makeTrace({ startMs: now, error: true, children: 2 });
    await s.consume(makeBatch({ spans }));
    const got = await s.trace(spans[0].traceId);
    assert.equal(got.length, 3);
    const root = got.find((v) => v.spanId === spans[0].spanId)!;
    assert.equal(root.parentSpanId, undefined);
    assert.equal(root.attributes['net.peer.port'], '51234');
    assert.equal(root.attributes['http.route'], '/orders/:id');
    assert.equal(root.statusCode, 2);
    assert.equal(root.statusMessage, 'boom');
    assert.equal(root.events[0].name, 'exception');
    assert.deepEqual(root.location, { file: '/work/shop/src/orders.ts', line: 12, function: 'getOrder', via: 'attribute', confidence: 1 });
    assert.equal(root.durationMs, 20);
    assert.equal(got.filter((v) => v.parentSpanId === spans[0].spanId).length, 2);
  });

  it('filters traces by service, route, status, duration, time, text and file', async () => {
    const s = await h.open();
    const other = { serviceName: 'billing', attributes: { 'service.name': 'billing' } };
    const a = makeTrace({ startMs: now, route: '/orders/:id' });
    const b = makeTrace({ startMs: now + 10, route: '/pay', error: true, service: other, durMs: 900, file: '/work/shop/src/pay.ts' });
    const c = makeTrace({ startMs: now + 20, route: '/orders/:id', durMs: 5 });
    await s.consume(makeBatch({ spans: [...a, ...b, ...c] }));
    const ids = async (f: Parameters<typeof s.traces>[0]): Promise<string[]> => (await s.traces(f)).map((t) => t.traceId);
    assert.deepEqual(await ids({}), [c[0].traceId, b[0].traceId, a[0].traceId]);
    assert.deepEqual(await ids({ service: 'billing' }), [b[0].traceId]);
    assert.deepEqual(await ids({ route: '/orders/:id' }), [c[0].traceId, a[0].traceId]);
    assert.deepEqual(await ids({ status: 'error' }), [b[0].traceId]);
    assert.deepEqual(await ids({ status: 'ok' }), [c[0].traceId, a[0].traceId]);
    assert.deepEqual(await ids({ minDurationMs: 100 }), [b[0].traceId]);
    assert.deepEqual(await ids({ sinceMs: now + 5, untilMs: now + 15 }), [b[0].traceId]);
    assert.deepEqual(await ids({ text: 'Cannot read properties' }), [b[0].traceId]);
    assert.deepEqual(await ids({ files: ['/work/shop/src/pay.ts'] }), [b[0].traceId]);
    assert.deepEqual(await ids({ limit: 1 }), [c[0].traceId]);
    const [summary] = await s.traces({ service: 'billing' });
    assert.deepEqual({ ...summary, traceId: '' }, { traceId: '', rootName: 'GET /pay', service: 'billing', startMs: now + 10, durationMs: 900, spanCount: 3, errorCount: 1 });
  });

  it('treats LIKE wildcards in the text filter literally', async () => {
    const s = await h.open();
    await s.consume(spanBatch(now, 3));
    assert.deepEqual(await s.traces({ text: '%' }), []);
  });

  it('returns logs by trace id, severity, text and attribute, newest first, with resource', async () => {
    const s = await h.open();
    const t = makeTrace({ startMs: now });
    const logs = [
      makeLog({ timeMs: now, traceId: t[0].traceId, body: 'loading order 42' }),
      makeLog({ timeMs: now + 1, severity: 17, body: 'payment failed', attrs: { 'order.id': '7' } }),
      makeLog({ timeMs: now + 2, severity: 13, body: 'slow payment', attrs: { 'order.id': '7' } }),
    ];
    await s.consume(makeBatch({ spans: t, logs }));
    assert.deepEqual((await s.logs({ traceId: t[0].traceId })).map((l) => l.body), ['loading order 42']);
    assert.deepEqual((await s.logs({ minSeverity: 13 })).map((l) => l.body), ['slow payment', 'payment failed']);
    assert.deepEqual((await s.logs({ text: 'payment' })).map((l) => l.body), ['slow payment', 'payment failed']);
    assert.deepEqual((await s.logs({ attribute: { key: 'order.id', value: '7' } })).map((l) => l.body), ['slow payment', 'payment failed']);
    const [one] = await s.logs({ traceId: t[0].traceId });
    assert.equal(one.resource['service.version'], '1.2.3');
    assert.equal(one.severityText, 'INFO');
    assert.equal(one.service, 'shop');
  });

  it('returns the logs of one workspace location (file, and line when given)', async () => {
    const s = await h.open();
    await s.consume(makeBatch({ logs: [
      makeLog({ timeMs: now, body: 'from orders', file: '/ws/src/orders.ts' }),
      makeLog({ timeMs: now + 1, body: 'from checkout', file: '/ws/src/checkout.ts' }),
      makeLog({ timeMs: now + 2, body: 'nowhere' }),
    ] }));
    assert.deepEqual((await s.logs({ file: '/ws/src/orders.ts' })).map((l) => l.body), ['from orders']);
    assert.deepEqual((await s.logs({ file: '/ws/src/orders.ts', line: 40 })).map((l) => l.body), ['from orders']);
    assert.deepEqual((await s.logs({ file: '/ws/src/orders.ts', line: 41 })).map((l) => l.body), []);
  });

  it('stores and counts metric points (their series are the analysis baselines)', async () => {
    const s = await h.open();
    const t0 = Math.floor(now / 60_000) * 60_000;
    await s.consume(makeBatch({ metrics: [makeGauge(t0 + 1000, 3), makeGauge(t0 + 2000, 5), makeGauge(t0 + 61_000, 4), makeGauge(t0 + 1000, 9, { pool: 'replica' })] }));
    assert.equal((await s.stats()).metricPoints, 4);
  });

  it('answers fileSummary from aggregates with calls, errors, percentiles and the sparkline', async () => {
    const s = await h.open();
    await s.consume(spanBatch(now - 1000, 100, { errorEvery: 4 }));
    const f = await s.fileSummary('/work/shop/src/orders.ts');
    const line12 = f.lines.find((l) => l.line === 12)!;
    assert.equal(line12.calls, 100);
    assert.equal(line12.errors, 25);
    assert.ok(Math.abs(line12.p50Ms! - 20) <= 0.2, String(line12.p50Ms));
    assert.equal(line12.perMinute.length, 30);
    assert.equal(line12.perMinute.reduce((a, b) => a + b, 0), 100);
    assert.deepEqual(line12.names, ['GET /orders/:id']);
    assert.equal(line12.recentTraceIds.length, 5);
    assert.deepEqual(await s.filesWithData(), ['/work/shop/src/orders.ts']);
  });

  it('survives a restart: raw data, aggregates and state are all back', async () => {
    const s = await h.open();
    const batch = spanBatch(now, 20, { errorEvery: 5 });
    await s.consume(batch);
    await s.putState('ledger', { commits: ['abc'] });
    await s.shutdown();
    const s2 = await h.open();
    assert.equal((await s2.trace(batch.spans[0].traceId)).length, 3);
    assert.equal((await s2.stats()).spans, 60);
    const line12 = (await s2.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12)!;
    assert.equal(line12.calls, 20);
    assert.equal(line12.errors, 4);
    assert.deepEqual(await s2.getState('ledger'), { commits: ['abc'] });
  });

  it('rebuilds aggregates from the journal when the process died before any checkpoint', async () => {
    const s = await h.open();
    await s.consume(spanBatch(now, 10));
    // No shutdown, no checkpoint; the journal is all there is.
    await h.crash(s);
    const s2 = await h.open();
    assert.equal((await s2.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12)!.calls, 10);
    assert.equal((await s2.stats()).spans, 30);
  });

  it('does not count a batch twice when a checkpoint already covers part of the journal', async () => {
    const s = await h.open();
    await s.consume(spanBatch(now, 10));
    await s.checkpoint(true);
    await s.consume(spanBatch(now + 100, 5));
    await h.crash(s); // the journal has both batches, the checkpoint the first
    const s2 = await h.open();
    assert.equal((await s2.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12)!.calls, 15);
    assert.equal((await s2.stats()).spans, 45);
  });

  it('finds the spans of a trace across sealed segments', async () => {
    const s = await h.open({ lruSegments: 1 });
    const spans = makeTrace({ startMs: now, children: 4 });
    await s.consume(makeBatch({ spans: spans.slice(0, 2) }));
    await s.roll();
    await s.consume(makeBatch({ spans: spans.slice(2, 4) }));
    await s.roll();
    await s.consume(spanBatch(now + 50, 5));
    await s.roll();
    await s.consume(makeBatch({ spans: spans.slice(4) }));
    assert.equal((await s.trace(spans[0].traceId)).length, 5);
    const [summary] = await s.traces({ text: 'GET /orders', sinceMs: now - 1, untilMs: now + 1 });
    assert.equal(summary.traceId, spans[0].traceId);
    assert.equal((await s.stats()).segments, 4);
  });

  it('deletes the journals of sealed segments at the next checkpoint', async () => {
    const s = await h.open();
    for (let i = 0; i < 3; i++) {
      await s.consume(spanBatch(now + i, 2));
      await s.roll();
    }
    assert.equal(readdirSync(h.dir).filter((n) => n.startsWith('journal-')).length, 4);
    await s.checkpoint();
    assert.deepEqual(readdirSync(h.dir).filter((n) => n.startsWith('journal-')), ['journal-00000004.log']);
  });

  it('seals a segment when it reaches the size limit', async () => {
    const s = await h.open({ segmentMaxBytes: 256 * 1024 });
    for (let i = 0; i < 20; i++) await s.consume(spanBatch(now + i * 100, 20));
    await s.roll(); // waits for rolls in flight, then seals the rest
    const st = await s.stats();
    assert.ok(st.segments >= 3, `segments ${st.segments}`);
    assert.equal(st.spans, 1200);
    assert.equal(st.sampledAway, 0);
  });

  it('keeps every error span and drops plain spans when the engine is behind', async () => {
    const s = await h.open({ rawQueueSoft: 0 });
    const batch = spanBatch(now, 40, { errorEvery: 10 });
    await s.consume(batch);
    const st = await s.stats();
    assert.equal(st.spans, 4 * 3, 'the 4 error traces, whole');
    assert.equal(st.sampledAway, 36 * 3);
    assert.equal((await s.traces({ status: 'error' })).length, 4);
    // Aggregates stay exact.
    assert.equal((await s.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12)!.calls, 40);
  });

  it('keeps slow traces when sampling', async () => {
    const s = await h.open({ rawQueueSoft: 0, slowSpanMs: 500 });
    await s.consume(makeBatch({ spans: [...makeTrace({ startMs: now, durMs: 800 }), ...makeTrace({ startMs: now, durMs: 10 })] }));
    const ts = await s.traces({});
    assert.deepEqual(ts.map((t) => t.durationMs), [800]);
  });

  it('samples raw spans when the open segment outgrows its limit because seals are stuck', async () => {
    const s = await h.open({ segmentMaxBytes: 1024 });
    // Rolls are started but each consume below sees a journal far past 4x the limit.
    await s.consume(spanBatch(now, 20, { errorEvery: 5 }));
    const before = (await s.stats()).sampledAway;
    await Promise.all(Array.from({ length: 5 }, (_, i) => s.consume(spanBatch(now + i, 20, { errorEvery: 5 }))));
    assert.ok((await s.stats()).sampledAway > before);
  });

  it('queues no raw spans at all above the hard limit', async () => {
    const s = await h.open({ rawQueueSoft: 0, rawQueueHard: 0 });
    await s.consume(spanBatch(now, 10, { errorEvery: 1 }));
    assert.equal((await s.stats()).spans, 0);
    assert.equal((await s.stats()).sampledAway, 30);
  });

  it('drops sealed segments older than the raw retention', async () => {
    const s = await h.open({ limits: { rawMaxAgeMs: 3_600_000 } });
    await s.consume(spanBatch(now - 2 * 3_600_000, 5));
    await s.roll();
    await s.consume(spanBatch(now - 60_000, 5));
    await s.roll();
    await s.enforceRetention(now);
    const st = await s.stats();
    assert.equal(st.spans, 15);
    assert.equal(h.logs.filter((l) => l.event === 'retention.dropped').length, 1);
  });

  it('drops the oldest sealed segments while storage is over the size limit', async () => {
    const s = await h.open({ limits: { rawMaxBytes: 1 } });
    await s.consume(spanBatch(now, 5));
    await s.roll();
    const sizeOfOne = (await s.stats()).storageBytes;
    await s.shutdown();
    const s2 = await h.open({ limits: { rawMaxBytes: sizeOfOne * 2.5 } });
    for (let i = 1; i <= 3; i++) {
      await s2.consume(spanBatch(now + i, 5));
      await s2.roll();
    }
    await s2.enforceRetention(now);
    const st = await s2.stats();
    assert.ok(st.storageBytes <= sizeOfOne * 2.5, `${st.storageBytes} > ${sizeOfOne * 2.5}`);
    assert.equal(st.spans, 30, 'two newest segments of 15 spans');
  });

  it('prunes aggregates older than the aggregate retention', async () => {
    const s = await h.open({ limits: { aggregateMaxAgeMs: 2 * 3_600_000 } });
    await s.consume(spanBatch(now - 5 * 3_600_000, 5));
    await s.consume(spanBatch(now, 5, { file: '/work/shop/src/new.ts' }));
    await s.enforceRetention(now);
    assert.deepEqual(await s.filesWithData(), ['/work/shop/src/new.ts']);
  });

  it('clear() removes telemetry, aggregates and state, and keeps working', async () => {
    const s = await h.open();
    await s.consume(spanBatch(now, 5));
    await s.roll();
    await s.consume(spanBatch(now, 5));
    await s.putState('k', 1);
    await s.clear();
    assert.equal((await s.stats()).spans, 0);
    assert.deepEqual(readdirSync(h.dir).filter((n) => n.startsWith('journal-') || n.startsWith('seg-')), ['journal-00000002.log']);
    assert.deepEqual(await s.filesWithData(), []);
    assert.equal(await s.getState('k'), undefined);
    await s.consume(spanBatch(now, 2));
    await s.shutdown();
    const s2 = await h.open();
    assert.equal((await s2.stats()).spans, 6);
  });

  it('works the same through the worker thread', async () => {
    const s = await h.open({ worker: true });
    const batch = spanBatch(now, 10, { errorEvery: 2 });
    await s.consume(batch);
    await s.roll();
    await s.consume(makeBatch({ logs: [makeLog({ timeMs: now, traceId: batch.spans[0].traceId })] }));
    assert.equal((await s.trace(batch.spans[0].traceId)).length, 3);
    assert.equal((await s.traces({ status: 'error' })).length, 5);
    assert.equal((await s.logs({ traceId: batch.spans[0].traceId })).length, 1);
    assert.equal((await s.stats()).spans, 30);
  });

  it('stores a batch bigger than one engine message completely, in chunks', async () => {
    const s = await h.open({ worker: true });
    const batch = spanBatch(now, 1500, { errorEvery: 100 }); // 4500 spans
    batch.logs = [makeLog({ timeMs: now, traceId: batch.spans[0].traceId })];
    await s.consume(batch);
    const st = await s.stats();
    assert.deepEqual([st.spans, st.logs], [4500, 1]);
    assert.equal((await s.trace(batch.spans[4499].traceId)).length, 3);
  });

  it('does not aggregate spans without a location but stores them', async () => {
    const s = await h.open();
    const spans = makeTrace({ startMs: now }).map((sp) => ({ ...sp, location: undefined, resource: RESOURCE }));
    await s.consume(makeBatch({ spans }));
    assert.deepEqual(await s.filesWithData(), []);
    assert.equal((await s.trace(spans[0].traceId)).length, 3);
  });
});
