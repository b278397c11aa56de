import { strict as assert } from 'node:assert';
import { status } from '@grpc/grpc-js';
import { otlpTypes } from '../../../../collector/receiver/schema';
import { retryDelayOf } from '../../../../collector/server/grpcStatus';
import { startCollector, type Running } from './harness';
import { CompressionAlgorithm, ExportResultCode, makeLogs, makeMetrics, makeSpans } from './otelPayloads';
import { rawUnary, sendLogsGrpc, sendMetricsGrpc, sendSpansGrpc, TRACE_EXPORT } from './otelGrpc';

/** A realistic span time: the receiver rejects items timed before 2000 or far in the future. */
const NOW_NS = Date.now() * 1e6;

const grpcUrl = (c: Running) => `http://127.0.0.1:${c.collector.grpcAddress()!.port}`;
const grpcPort = (c: Running) => c.collector.grpcAddress()!.port;

describe('OTLP/gRPC receiver with the official exporters', () => {
  let c: Running;
  beforeEach(async () => { c = await startCollector({ grpcPort: 'auto' }); });
  afterEach(async () => { await c.stop(); });

  it('stores exported spans and reads the trace back through the live client', async () => {
    const spans = await makeSpans();
    const r = await sendSpansGrpc(grpcUrl(c), spans);
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    const views = await c.client.request('trace', { traceId: spans[0].spanContext().traceId });
    assert.deepEqual(views.map((v) => v.name).sort(), ['GET /orders/:id', 'POST payments', 'SELECT orders']);
    const root = views.find((v) => v.name === 'GET /orders/:id')!;
    assert.equal(root.service, 'checkout');
    assert.equal(root.attributes['code.lineno'], 42);
    assert.equal(views.find((v) => v.name === 'SELECT orders')!.parentSpanId, root.spanId);
    assert.equal(views.find((v) => v.name === 'POST payments')!.statusMessage, 'card declined');
  });

  it('stores spans the exporter sent gzip-compressed', async () => {
    const r = await sendSpansGrpc(grpcUrl(c), await makeSpans(), { compression: CompressionAlgorithm.GZIP });
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    assert.equal(c.store.spans.length, 3);
  });

  it('stores exported log records with trace context and reads them back', async () => {
    const logs = await makeLogs({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' });
    const r = await sendLogsGrpc(grpcUrl(c), logs);
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    const views = await c.client.request('logs', { traceId: '0af7651916cd43dd8448eb211c80319c' });
    assert.equal(views.length, 1);
    assert.equal(views[0].body, 'payment failed for order 17');
    assert.equal(views[0].severityNumber, 17);
    assert.deepEqual(c.store.logRecords.find((l) => l.severityText === 'INFO')!.body, { msg: 'structured', n: 2 });
  });

  it('stores gauge, sum, histogram and exponential histogram points', async () => {
    const r = await sendMetricsGrpc(grpcUrl(c), await makeMetrics());
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    const by = (name: string) => c.store.metrics.find((m) => m.metric === name)!;
    assert.ok(by('process.memory.usage').kind === 'gauge');
    const sum = by('orders.created');
    assert.ok(sum.kind === 'sum' && sum.value === 5 && sum.monotonic);
    const hist = by('http.server.duration');
    assert.ok(hist.kind === 'histogram' && hist.count === 4);
    assert.equal(by('http.server.exp_duration').kind, 'exponentialHistogram');
  });

  it('answers OK only after the store has consumed the batch', async () => {
    let release!: () => void;
    c.store.hold = new Promise<void>((r) => (release = r));
    let answered = false;
    const sent = sendSpansGrpc(grpcUrl(c), await makeSpans()).then((r) => { answered = true; return r; });
    // The call has reached the store (it is waiting in consume) and is still unanswered.
    const t0 = Date.now();
    while (c.store.batches === 0 && !answered && (await c.collector.stats()).queue.pending === 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(answered, false, 'acknowledged before the store resolved');
    assert.equal(c.store.batches, 0);
    release();
    c.store.hold = undefined;
    assert.equal((await sent).code, ExportResultCode.SUCCESS);
    assert.equal(c.store.batches, 1);
  });

  it('reports rejected items as partial success in the response body', async () => {
    const t = otlpTypes();
    const good = { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'ok', startTimeUnixNano: NOW_NS, endTimeUnixNano: NOW_NS + 1000 };
    const bad = { traceId: Buffer.alloc(16, 0), spanId: Buffer.alloc(8, 3), name: 'zero trace id', startTimeUnixNano: NOW_NS, endTimeUnixNano: NOW_NS + 1000 };
    const body = Buffer.from(t.traceRequest.encode(t.traceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [good, bad] }] }] })).finish());
    const reply = await rawUnary(grpcPort(c), TRACE_EXPORT, body);
    assert.equal(reply.error, undefined, reply.error?.message);
    const res = t.traceResponse.toObject(t.traceResponse.decode(reply.response!), { longs: Number }) as { partialSuccess?: { rejectedSpans: number; errorMessage: string } };
    assert.equal(res.partialSuccess?.rejectedSpans, 1);
    assert.match(res.partialSuccess!.errorMessage, /rejected 1 invalid item/);
    assert.equal(c.store.spans.length, 1);
  });
});

describe('OTLP/gRPC receiver back-pressure and access', () => {
  let c: Running | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('answers UNAVAILABLE with RetryInfo when the ingest queue is full', async () => {
    c = await startCollector({ grpcPort: 'auto', queueLimit: 1, retryAfterSec: 7 });
    let release!: () => void;
    c.store.hold = new Promise<void>((r) => (release = r));
    const t = otlpTypes();
    const span = { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'held', startTimeUnixNano: NOW_NS, endTimeUnixNano: NOW_NS + 1000 };
    const body = Buffer.from(t.traceRequest.encode(t.traceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })).finish());
    const first = rawUnary(grpcPort(c), TRACE_EXPORT, body);
    const t0 = Date.now();
    while ((await c.collector.stats()).queue.pending === 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
    const second = await rawUnary(grpcPort(c), TRACE_EXPORT, body);
    assert.equal(second.error?.code, status.UNAVAILABLE);
    assert.match(second.error!.details, /ingest queue is full/);
    const details = second.error!.metadata.get('grpc-status-details-bin')[0] as Buffer;
    assert.equal(retryDelayOf(details), 7);
    release();
    c.store.hold = undefined;
    assert.equal((await first).error, undefined);
  });

  it('requires the API key in remote mode, as metadata x-vibewatch-key or authorization: Bearer', async () => {
    c = await startCollector({ grpcPort: 'auto', allowRemote: true, apiKey: 's3cret' });
    const url = grpcUrl(c);
    const none = await sendSpansGrpc(url, await makeSpans());
    assert.equal(none.code, ExportResultCode.FAILED);
    assert.equal((none.error as { code?: number }).code, status.UNAUTHENTICATED);
    const wrong = await rawUnary(grpcPort(c), TRACE_EXPORT, Buffer.alloc(0), { metadata: { 'x-vibewatch-key': 'nope' } });
    assert.equal(wrong.error?.code, status.UNAUTHENTICATED);
    assert.equal(c.store.spans.length, 0);
    assert.equal((await sendSpansGrpc(url, await makeSpans(), { metadata: { 'x-vibewatch-key': 's3cret' } })).code, ExportResultCode.SUCCESS);
    assert.equal((await sendSpansGrpc(url, await makeSpans(), { metadata: { authorization: 'Bearer s3cret' } })).code, ExportResultCode.SUCCESS);
    assert.equal(c.store.spans.length, 6);
  });

  it('refuses calls addressed to a non-loopback name in loopback mode', async () => {
    c = await startCollector({ grpcPort: 'auto' });
    const body = Buffer.from(otlpTypes().traceRequest.encode({ resourceSpans: [] }).finish());
    const r = await rawUnary(grpcPort(c), TRACE_EXPORT, body, { channel: { 'grpc.default_authority': 'rebound.example:4317' } });
    assert.equal(r.error?.code, status.PERMISSION_DENIED);
  });

  it('lets a call admitted before shutdown finish and be acknowledged, then stops listening', async () => {
    c = await startCollector({ grpcPort: 'auto' });
    const url = grpcUrl(c);
    let release!: () => void;
    c.store.hold = new Promise<void>((r) => (release = r));
    const sent = sendSpansGrpc(url, await makeSpans());
    const t0 = Date.now();
    while ((await c.collector.stats()).queue.pending === 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
    const stopped = c.stop();
    c = undefined;
    await new Promise((r) => setTimeout(r, 100));
    release();
    assert.equal((await sent).code, ExportResultCode.SUCCESS);
    await stopped;
    const after = await rawUnary(Number(new URL(url).port), TRACE_EXPORT, Buffer.alloc(0));
    assert.equal(after.error?.code, status.UNAVAILABLE, 'nothing listens any more');
  });
});
