import { strict as assert } from 'node:assert';
import { Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import { otlpTypes } from '../../../../collector/receiver/schema';
import { post, startCollector, type Running } from './harness';

const TRACE = '5b8efff798038103d269b633813fc60c';
function spanJson(over: Record<string, unknown> = {}) {
  return { traceId: TRACE, spanId: 'eee19b7ec3c1b174', name: 'GET /x', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000', ...over };
}
function traces(...spans: unknown[]) {
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] });
}
const JSON_CT = { 'content-type': 'application/json' };

describe('OTLP/HTTP bad input', () => {
  let c: Running;
  afterEach(async () => { await c?.stop(); });

  describe('with default limits', () => {
    beforeEach(async () => { c = await startCollector({ maxBodyBytes: 64 * 1024 }); });

    it('answers malformed JSON with 400 and a google.rpc.Status body naming the problem', async () => {
      const r = await post(c.url, '/v1/traces', '{"resourceSpans": [', JSON_CT);
      assert.equal(r.status, 400);
      assert.equal(r.json().code, 3);
      assert.match(r.json().message!, /malformed JSON/);
    });

    it('answers malformed protobuf with 400 and a protobuf Status', async () => {
      const r = await post(c.url, '/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' });
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/x-protobuf');
      const status = otlpTypes().status.decode(r.body) as unknown as { code: number; message: string };
      assert.equal(status.code, 3);
      assert.match(status.message, /malformed protobuf ExportTraceServiceRequest/);
    });

    it('answers a structurally wrong JSON request (resourceSpans not a list) with 400', async () => {
      const r = await post(c.url, '/v1/traces', '{"resourceSpans": 5}', JSON_CT);
      assert.equal(r.status, 400);
      assert.match(r.json().message!, /resourceSpans must be an array/);
    });

    it('answers an unsupported content type with 415', async () => {
      const r = await post(c.url, '/v1/logs', 'hello', { 'content-type': 'text/plain' });
      assert.equal(r.status, 415);
      assert.match(r.json().message!, /unsupported Content-Type "text\/plain"/);
    });

    it('answers an unknown Content-Encoding with 415', async () => {
      const r = await post(c.url, '/v1/traces', traces(spanJson()), { ...JSON_CT, 'content-encoding': 'br' });
      assert.equal(r.status, 415);
      assert.match(r.json().message!, /unsupported Content-Encoding "br"/);
    });

    it('stores a gzip-compressed request', async () => {
      const r = await post(c.url, '/v1/traces', gzipSync(traces(spanJson())), { ...JSON_CT, 'content-encoding': 'gzip' });
      assert.equal(r.status, 200);
      assert.equal(c.store.spans.length, 1);
    });

    it('stops a gzip bomb with 413 while inflating', async () => {
      const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
      const t0 = Date.now();
      const r = await post(c.url, '/v1/traces', bomb, { ...JSON_CT, 'content-encoding': 'gzip' });
      assert.equal(r.status, 413);
      assert.match(r.json().message!, /exceeds the limit of 65536 bytes/);
      assert.ok(Date.now() - t0 < 2000, 'inflating stopped early');
    });

    it('answers a body over the limit with 413', async () => {
      const r = await post(c.url, '/v1/traces', Buffer.alloc(100 * 1024, 0x20), JSON_CT);
      assert.equal(r.status, 413);
      assert.equal(r.json().code, 8);
    });

    it('answers malformed gzip with 400', async () => {
      const r = await post(c.url, '/v1/traces', Buffer.from('not gzip at all'), { ...JSON_CT, 'content-encoding': 'gzip' });
      assert.equal(r.status, 400);
      assert.match(r.json().message!, /malformed gzip body/);
    });

    it('keeps valid spans and reports invalid ones as partial success', async () => {
      const body = traces(spanJson(), spanJson({ spanId: 'xyz' }), spanJson({ spanId: 'aaaaaaaaaaaaaaab', traceId: '00000000000000000000000000000000' }), spanJson({ spanId: 'aaaaaaaaaaaaaaac', endTimeUnixNano: '1' }));
      const r = await post(c.url, '/v1/traces', body, JSON_CT);
      assert.equal(r.status, 200);
      const ps = r.json().partialSuccess as { rejectedSpans: string; errorMessage: string };
      assert.equal(ps.rejectedSpans, '3');
      assert.match(ps.errorMessage, /spanId must be 16 hex characters/);
      assert.match(ps.errorMessage, /traceId is all zeros/);
      assert.match(ps.errorMessage, /ends before it starts/);
      assert.equal(c.store.spans.length, 1);
      assert.deepEqual((await c.collector.stats()).rejected, { spans: 3, logs: 0, metrics: 0 });
    });

    it('returns partial success in protobuf for a protobuf request', async () => {
      const t = otlpTypes().traceRequest;
      const msg = t.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(3, 1), name: 'x', startTimeUnixNano: 1, endTimeUnixNano: 2 }] }] }] });
      const r = await post(c.url, '/v1/traces', Buffer.from(t.encode(msg).finish()), { 'content-type': 'application/x-protobuf' });
      assert.equal(r.status, 200);
      const resp = otlpTypes().traceResponse.decode(r.body) as unknown as { partialSuccess: { rejectedSpans: { toNumber(): number }; errorMessage: string } };
      assert.equal(Number(resp.partialSuccess.rejectedSpans), 1);
      assert.match(resp.partialSuccess.errorMessage, /spanId must be 8 bytes, got 3/);
    });

    it('answers GET on an OTLP path with 405 and Allow', async () => {
      const r = await post(c.url, '/v1/traces', '', {}, { method: 'GET' });
      assert.equal(r.status, 405);
      assert.equal(r.headers.allow, 'POST, OPTIONS');
    });

    it('answers an unknown path with 404', async () => {
      const r = await post(c.url, '/v2/traces', '{}', JSON_CT);
      assert.equal(r.status, 404);
    });

    it('stores a good request sent on the same keep-alive connection after a bad one', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const ports = new Set<number>();
        const bad = await post(c.url, '/v1/traces', '{"resourceSpans": [', JSON_CT, { agent });
        const wrongType = await post(c.url, '/v1/traces', 'x'.repeat(1000), { 'content-type': 'text/plain' }, { agent });
        const good = await post(c.url, '/v1/traces', traces(spanJson()), JSON_CT, { agent });
        assert.deepEqual([bad.status, wrongType.status, good.status], [400, 415, 200]);
        for (const s of Object.values(agent.freeSockets).flat()) ports.add(s!.localPort!);
        assert.equal(ports.size, 1, 'one connection was reused');
        assert.equal(c.store.spans.length, 1);
      } finally {
        agent.destroy();
      }
    });

    it('answers GET /health as a Vibewatch collector', async () => {
      const r = await post(c.url, '/health', '', {}, { method: 'GET' });
      assert.equal(r.status, 200);
      const h = r.json() as unknown as { product: string; pid: number; protocol: number };
      assert.equal(h.product, 'vibewatch-collector');
      assert.equal(h.pid, process.pid);
    });

    it('answers a CORS preflight from a loopback origin', async () => {
      const r = await post(c.url, '/v1/traces', '', { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' }, { method: 'OPTIONS' });
      assert.equal(r.status, 204);
      assert.equal(r.headers['access-control-allow-origin'], 'http://localhost:5173');
      assert.match(String(r.headers['access-control-allow-headers']), /content-type/);
    });

    it('refuses a request addressed to a non-loopback host name (DNS rebinding)', async () => {
      const r = await post(c.url, '/health', '', { host: 'attacker.example:4318' }, { method: 'GET' });
      assert.equal(r.status, 403);
      assert.match(r.json().message!, /loopback host name/);
      assert.equal((await post(c.url, '/health', '', { host: `localhost:${c.port}` }, { method: 'GET' })).status, 200);
    });

    it('refuses a live WebSocket from a page of another origin', async () => {
      const { default: WebSocket } = await import('ws');
      const handshake = (origin: string) => new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${c.port}/live`, { origin });
        ws.on('error', () => undefined); // the refused handshake also emits an error; the status is what we check
        ws.on('unexpected-response', (req, res) => { resolve(res.statusCode ?? 0); req.destroy(); });
        ws.on('open', () => { resolve(101); ws.close(); });
      });
      // No browser page uses /live (panels go through the extension): every origin is refused
      // (access.test.ts: even with a valid token).
      assert.equal(await handshake('https://evil.example'), 403);
      assert.equal(await handshake('vscode-webview://abc'), 403);
      assert.equal(await handshake('http://localhost:3000'), 403);
    });

    it('refuses a CORS preflight from a non-loopback origin', async () => {
      const r = await post(c.url, '/v1/traces', '', { origin: 'https://evil.example', 'access-control-request-method': 'POST' }, { method: 'OPTIONS' });
      assert.equal(r.status, 403);
      assert.equal(r.headers['access-control-allow-origin'], undefined);
    });
  });

  it('answers 429 with Retry-After when the ingest queue is full, and stores once it drains', async () => {
    c = await startCollector({ queueLimit: 1, retryAfterSec: 3 });
    let release!: () => void;
    c.store.hold = new Promise<void>((r) => (release = r));
    const first = post(c.url, '/v1/traces', traces(spanJson()), JSON_CT);
    while ((await c.collector.stats()).queue.pending < 1) await new Promise((r) => setTimeout(r, 5));
    const second = await post(c.url, '/v1/traces', traces(spanJson({ spanId: 'aaaaaaaaaaaaaaaa' })), JSON_CT);
    assert.equal(second.status, 429);
    assert.equal(second.headers['retry-after'], '3');
    assert.match(second.json().message!, /ingest queue is full/);
    release();
    assert.equal((await first).status, 200);
    assert.equal(c.store.spans.length, 1);
  });

  it('answers 429 when admitted requests already hold the byte budget', async () => {
    c = await startCollector({ maxQueuedBytes: 600 });
    let release!: () => void;
    c.store.hold = new Promise<void>((r) => (release = r));
    const first = post(c.url, '/v1/traces', traces(spanJson()), JSON_CT);
    while ((await c.collector.stats()).queue.pending < 1) await new Promise((r) => setTimeout(r, 5));
    const second = await post(c.url, '/v1/traces', traces(spanJson({ spanId: 'aaaaaaaaaaaaaaaa' })), JSON_CT);
    assert.equal(second.status, 429);
    assert.match(second.json().message!, /bytes pending/);
    release();
    assert.equal((await first).status, 200);
  });

  it('rejects a span timed in year 2500 with partial success and stores the others', async () => {
    c = await startCollector();
    const now = BigInt(Date.now()) * 1_000_000n;
    const far = String(now + 475n * 365n * 86_400n * 1_000_000_000n);
    const r = await post(c.url, '/v1/traces', traces(spanJson({ startTimeUnixNano: String(now), endTimeUnixNano: String(now) }), spanJson({ spanId: 'aaaaaaaaaaaaaaab', startTimeUnixNano: far, endTimeUnixNano: far })), JSON_CT);
    assert.equal(r.status, 200);
    assert.equal(r.json().partialSuccess!.rejectedSpans, '1');
    assert.match(String(r.json().partialSuccess!.errorMessage), /span aaaaaaaaaaaaaaab startTimeUnixNano \d+ is more than 60 min in the future/);
    assert.deepEqual(c.store.spans.map((s) => s.spanId), ['eee19b7ec3c1b174']);
  });

  it('names rejected log records and data points in partial success for logs and metrics', async () => {
    c = await startCollector();
    const logs = await post(c.url, '/v1/logs', JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1700000000000000001', spanId: 'bad' }, { timeUnixNano: '1700000000000000002' }] }] }] }), JSON_CT);
    assert.equal(logs.status, 200);
    assert.deepEqual(logs.json().partialSuccess, { rejectedLogRecords: '1', errorMessage: 'rejected 1 invalid item(s): log spanId must be 16 hex characters, got "bad"' });
    const metrics = await post(c.url, '/v1/metrics', JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ asDouble: 1 }, { timeUnixNano: '1700000000000000005', asDouble: 2 }] } }] }] }] }), JSON_CT);
    assert.equal(metrics.status, 200);
    assert.equal(metrics.json().partialSuccess!.rejectedDataPoints, '1');
    assert.equal(c.store.logRecords.length, 1);
    assert.equal(c.store.metrics.length, 1);
  });

  it('answers 401 without the API key in remote mode and 200 with it', async () => {
    c = await startCollector({ allowRemote: true, apiKey: 's3cret' });
    const denied = await post(c.url, '/v1/traces', traces(spanJson()), JSON_CT);
    assert.equal(denied.status, 401);
    assert.match(denied.json().message!, /API key/);
    const wrong = await post(c.url, '/v1/traces', traces(spanJson()), { ...JSON_CT, 'x-vibewatch-key': 'nope' });
    assert.equal(wrong.status, 401);
    const ok = await post(c.url, '/v1/traces', traces(spanJson()), { ...JSON_CT, authorization: 'Bearer s3cret' });
    assert.equal(ok.status, 200);
    assert.equal(c.store.spans.length, 1);
  });
});
