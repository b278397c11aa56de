import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { LiveClient, LiveRequestError } from '../../../../collector/live/client';
import { LiveError } from '../../../../collector/live/handlers';
import type { Events, Health } from '../../../../collector/live/protocol';
import { LiveServer, MAX_FILES_PER_EVENT, mergeHandlers } from '../../../../collector/live/server';
import type { TelemetryBatch } from '../../../../collector/model/types';
import { post, startCollector, type Running } from '../server/harness';

const health: Health = { product: 'vibewatch-collector', version: 't', protocol: 1, pid: 1, startedAt: '', storage: '' };
const spansBody = (spanId: string) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId, name: 'op', startTimeUnixNano: '1700000000000000001', endTimeUnixNano: '1700000000000000002', attributes: [{ key: 'file', value: { stringValue: `/ws/src/${spanId}.ts` } }] }] }] }] });
const locate = (batch: TelemetryBatch) => {
  for (const s of batch.spans) s.location = { file: String(s.attributes.file), line: 1, via: 'attribute', confidence: 1 };
};

async function listen(live: LiveServer): Promise<{ server: Server; port: number }> {
  const server = createServer((_q, r) => r.end());
  live.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('live protocol', () => {
  let c: Running | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('coalesces new data from several requests into one changed event with the files and signals', async () => {
    c = await startCollector({}, { processors: [locate] });
    const events: Events['changed'][] = [];
    c.client.on('changed', (d) => events.push(d));
    for (const id of ['aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa3']) assert.equal((await post(c.url, '/v1/traces', spansBody(id), { 'content-type': 'application/json' })).status, 200);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].files, ['/ws/src/aaaaaaaaaaaaaaa1.ts', '/ws/src/aaaaaaaaaaaaaaa2.ts', '/ws/src/aaaaaaaaaaaaaaa3.ts']);
    assert.deepEqual(events[0].topics, ['spans']);
  });

  it('answers fileSummary and filesWithData from the store for located spans', async () => {
    c = await startCollector({}, { processors: [locate] });
    await post(c.url, '/v1/traces', spansBody('aaaaaaaaaaaaaaa1'), { 'content-type': 'application/json' });
    assert.deepEqual(await c.client.request('filesWithData', {}), { files: ['/ws/src/aaaaaaaaaaaaaaa1.ts'] });
    const summary = await c.client.request('fileSummary', { file: '/ws/src/aaaaaaaaaaaaaaa1.ts' });
    assert.deepEqual(summary.lines.map((l) => [l.line, l.calls]), [[1, 1]]);
    await assert.rejects(c.client.request('fileSummary', { file: '' }), (e: LiveRequestError) => e.code === 'bad_request');
  });

  it('lets an area handler table override a base method and keeps the others', async () => {
    c = await startCollector({}, { handlers: [{ health: () => ({ ...health, version: 'from-area' }) }] });
    assert.equal((await c.client.request('health', {})).version, 'from-area');
    assert.equal((await c.client.request('stats', {})).queue.limit, 64);
  });

  it('answers an unknown method with unknown_method and a bad parameter with bad_request', async () => {
    c = await startCollector();
    await assert.rejects(c.client.request('nope' as 'health', {}), (e: LiveRequestError) => e.code === 'unknown_method' && /unknown method "nope"/.test(e.message));
    await assert.rejects(c.client.request('trace', { traceId: 'xyz' }), (e: LiveRequestError) => e.code === 'bad_request');
  });

  it('keeps registered workspace folders while the client is connected and drops them when it leaves', async () => {
    c = await startCollector();
    await c.client.request('registerWorkspace', { folders: ['/home/me/shop'], pathMappings: { '/app': '/home/me/shop' } });
    assert.deepEqual(c.collector.workspaces.folders(), ['/home/me/shop']);
    assert.deepEqual(c.collector.workspaces.pathMappings(), { '/app': '/home/me/shop' });
    c.client.dispose();
    for (let i = 0; i < 50 && c.collector.workspaces.folders().length; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(c.collector.workspaces.folders(), []);
  });

  it('drops the oldest events for a client that cannot keep up and flags the next one resync', async () => {
    const live = new LiveServer({ handlers: {}, health: () => health, batchMs: 1, maxQueuedEvents: 2 });
    const { server, port } = await listen(live);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/live`);
    const got: { event: string; data: Events['changed'] }[] = [];
    ws.on('message', (m) => got.push(JSON.parse(m.toString())));
    await new Promise((r) => ws.on('open', r));
    for (let i = 0; i < 50 && !got.length; i++) await new Promise((r) => setTimeout(r, 10));
    // A socket buffer limit of 0 holds every event in the client's queue (a stuck client).
    live.setMaxBufferedBytes(0);
    for (let i = 0; i < 5; i++) {
      live.noteChanged({ files: [`/f${i}`], topics: ['spans'] });
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(live.droppedEvents, 3);
    live.setMaxBufferedBytes(1024 * 1024);
    for (let i = 0; i < 50 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    const changed = got.filter((g) => g.event === 'changed').map((g) => g.data);
    assert.deepEqual(changed, [{ files: ['/f3'], topics: ['spans'], resync: true }, { files: ['/f4'], topics: ['spans'] }]);
    await live.close();
    server.close();
    ws.terminate();
  });

  it('sends resync instead of a file list longer than MAX_FILES_PER_EVENT', async () => {
    const live = new LiveServer({ handlers: {}, health: () => health, batchMs: 1 });
    const { server, port } = await listen(live);
    const client = new LiveClient({ port });
    await client.connect();
    const got: Events['changed'][] = [];
    client.on('changed', (d) => got.push(d));
    live.noteChanged({ files: Array.from({ length: MAX_FILES_PER_EVENT + 1 }, (_v, i) => `/f${i}`), topics: ['spans'] });
    for (let i = 0; i < 50 && !got.length; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got, [{ files: [], topics: ['spans'], resync: true }]);
    client.dispose();
    await live.close();
    server.close();
  });

  it('refuses two handler tables that define the same method', () => {
    assert.throws(() => mergeHandlers({}, [{ stats: () => { throw new LiveError('unavailable', 'x'); } }, { stats: () => { throw new Error('y'); } }]), /two handler tables define the live method stats/);
  });

  it('reconnects with backoff after the collector restarts on the same port', async () => {
    c = await startCollector();
    const port = c.port;
    // The restarted collector has a new secret: the client asks for it at every connect.
    const client = new LiveClient({ port, secret: () => c?.collector.secret, reconnect: true, minBackoffMs: 50, maxBackoffMs: 200 });
    let opens = 0;
    client.on('open', () => opens++);
    await client.connect();
    await c.stop();
    c = await startCollector({ port });
    for (let i = 0; i < 100 && opens < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(opens, 2);
    assert.equal((await client.request('health', {})).product, 'vibewatch-collector');
    client.dispose();
  });

  it('times out a request the server never answers', async () => {
    const live = new LiveServer({ handlers: { stats: () => new Promise(() => undefined) }, health: () => health });
    const { server, port } = await listen(live);
    const client = new LiveClient({ port, requestTimeoutMs: 100 });
    await client.connect();
    await assert.rejects(client.request('stats', {}), (e: LiveRequestError) => e.code === 'timeout');
    client.dispose();
    await live.close();
    server.close();
  });

  it('refuses a live connection without the API key in remote mode', async () => {
    c = await startCollector({ allowRemote: true, apiKey: 'k1' });
    await assert.rejects(new LiveClient({ port: c.port, secret: c.collector.secret }).connect(), /HTTP 401 \(API key missing or wrong\)/);
    const ok = new LiveClient({ port: c.port, apiKey: 'k1', secret: c.collector.secret });
    await ok.connect();
    assert.equal((await ok.request('health', {})).product, 'vibewatch-collector');
    ok.dispose();
  });
});
