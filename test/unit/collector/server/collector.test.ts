import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../../../collector/config';
import { LiveClient } from '../../../../collector/live/client';
import { createCollector } from '../../../../collector/server/collector';
import { SqlStore } from '../../../../collector/store/sqlStore';
import { MemoryStore } from './memoryStore';
import { ExportResultCode, makeLogs, makeSpans, sendLogs, sendSpans } from './otelPayloads';
import { post, startCollector, type Running } from './harness';

describe('createCollector', () => {
  let c: Running | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('serves GET routes mounted by other areas under their prefix', async () => {
    c = await startCollector({}, { routes: [{ prefix: '/status', handler: (req, res) => res.end(`status:${req.url}`) }] });
    c.collector.mountRoute('/extra', (_req, res) => res.end('extra'));
    assert.equal((await post(c.url, '/status.json', '', {}, { method: 'GET' })).body.toString(), 'status:/status.json');
    assert.equal((await post(c.url, '/statusx', '', {}, { method: 'GET' })).status, 404);
    assert.equal((await post(c.url, '/status', '', {}, { method: 'GET' })).body.toString(), 'status:/status');
    assert.equal((await post(c.url, '/status/feed.atom', '', {}, { method: 'GET' })).body.toString(), 'status:/status/feed.atom');
    assert.equal((await post(c.url, '/extra', '', {}, { method: 'GET' })).body.toString(), 'extra');
  });

  it('serves public routes without the API key in remote mode, and nothing else', async () => {
    c = await startCollector({ allowRemote: true, apiKey: 'k' }, { routes: [{ prefix: '/status', public: true, handler: (_q, r) => r.end('ok') }] });
    assert.equal((await post(c.url, '/status', '', {}, { method: 'GET' })).status, 200);
    assert.equal((await post(c.url, '/health', '', {}, { method: 'GET' })).status, 401);
  });

  it('runs processors in order before the store and counts each', async () => {
    const order: string[] = [];
    c = await startCollector({}, { processors: [{ name: 'a', fn: () => { order.push('a'); } }, { name: 'b', fn: async () => { order.push('b'); } }] });
    await sendSpans(c.url, 'json', await makeSpans());
    assert.deepEqual(order, ['a', 'b']);
    assert.equal(c.collector.stageCounters.get('a')!.batches, 1);
    assert.equal(c.collector.stageCounters.get('b')!.batches, 1);
  });

  it('counts a failing processor, reports it, and still stores the batch', async () => {
    const events: string[] = [];
    c = await startCollector({}, { processors: [{ name: 'broken', fn: () => { throw new Error('bug in processor'); } }], onEvent: (e) => events.push(`${e.event}:${e.message}`) });
    const r = await sendSpans(c.url, 'json', await makeSpans());
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.equal(c.store.spans.length, 3);
    assert.equal(c.collector.stageCounters.get('broken')!.failures, 1);
    assert.deepEqual(events, ['processor-failed:bug in processor']);
  });

  it('logs repeated bad requests once per interval instead of once per request', async () => {
    const events: Record<string, unknown>[] = [];
    c = await startCollector({}, { onEvent: (e) => events.push(e) });
    for (let i = 0; i < 3; i++) assert.equal((await post(c.url, '/v1/traces', '{', { 'content-type': 'application/json' })).status, 400);
    assert.equal(events.filter((e) => e.event === 'bad-request').length, 1);
    assert.equal(c.collector.errorsByStatus.get(400), 3);
  });

  it('answers 503 with Retry-After when the store fails, so the exporter retries', async () => {
    const store = new MemoryStore();
    store.consume = async () => { throw new Error('disk full'); };
    c = await startCollector({}, { store });
    const r = await post(c.url, '/v1/traces', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'x', startTimeUnixNano: '1700000000000000001', endTimeUnixNano: '1700000000000000002' }] }] }] }), { 'content-type': 'application/json' });
    assert.equal(r.status, 503);
    assert.ok(r.headers['retry-after']);
    assert.match(r.json().message!, /disk full/);
  });

  it('answers /health but 503 + Retry-After to exports while the store is still opening', async () => {
    const store = new MemoryStore();
    let open!: () => void;
    store.start = () => new Promise<void>((r) => (open = r));
    const dir = mkdtempSync(join(tmpdir(), 'vw-c-'));
    const col = createCollector({ ...defaultConfig({}), port: 0, storage: dir }, { store });
    try {
      const starting = col.start();
      while (!open) await new Promise((r) => setTimeout(r, 5));
      const url = `http://127.0.0.1:${col.address().port}`;
      assert.equal((await post(url, '/health', '', {}, { method: 'GET' })).status, 200);
      const early = await post(url, '/v1/traces', '{}', { 'content-type': 'application/json' });
      assert.equal(early.status, 503);
      assert.equal(early.headers['retry-after'], '1');
      open();
      await starting;
      assert.equal((await post(url, '/v1/traces', '{}', { 'content-type': 'application/json' })).status, 200);
    } finally {
      await col.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shuts down once even when asked twice, and before start', async () => {
    const store = new MemoryStore();
    const dir = mkdtempSync(join(tmpdir(), 'vw-c-'));
    try {
      const never = createCollector({ ...defaultConfig({}), port: 0, storage: dir }, { store });
      await never.shutdown();
      assert.equal(store.shutdowns, 0);
      const col = createCollector({ ...defaultConfig({}), port: 0, storage: dir }, { store });
      await col.start();
      await Promise.all([col.shutdown(), col.shutdown()]);
      await col.shutdown();
      assert.equal(store.shutdowns, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createCollector with the sql.js store', function () {
  this.timeout(30_000);
  it('stores exporter spans and logs durably and answers the live queries from the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-sql-'));
    const config = { ...defaultConfig({}), port: 0, storage: dir };
    try {
      let col = createCollector(config, { store: new SqlStore({ dir, log: () => undefined }) });
      await col.start();
      const url = `http://127.0.0.1:${col.address().port}`;
      const spans = await makeSpans();
      assert.equal((await sendSpans(url, 'json', spans)).code, ExportResultCode.SUCCESS);
      const traceId = spans[0].spanContext().traceId;
      assert.equal((await sendLogs(url, 'protobuf', await makeLogs({ traceId, spanId: spans[0].spanContext().spanId }))).code, ExportResultCode.SUCCESS);
      await col.shutdown();

      col = createCollector(config, { store: new SqlStore({ dir, log: () => undefined }) });
      await col.start();
      const client = new LiveClient({ port: col.address().port, secret: col.secret });
      try {
        await client.connect();
        const trace = await client.request('trace', { traceId });
        assert.equal(trace.length, 3);
        const logs = await client.request('logs', { traceId });
        assert.equal(logs.length, 1);
        assert.equal(logs[0].body, 'payment failed for order 17');
        const list = await client.request('traces', { service: 'checkout' });
        assert.equal(list[0].traceId, traceId);
        const stats = await client.request('stats', {});
        assert.ok(stats.storageBytes >= 0);
      } finally {
        client.dispose();
        await col.shutdown();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
