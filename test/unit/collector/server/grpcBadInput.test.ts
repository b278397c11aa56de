// Input no official exporter sends, through a raw grpc-js client or hand-framed HTTP/2.
import { strict as assert } from 'node:assert';
import { status } from '@grpc/grpc-js';
import { defaultConfig } from '../../../../collector/config';
import { otlpTypes } from '../../../../collector/receiver/schema';
import { createCollector } from '../../../../collector/server/collector';
import { retryDelayOf } from '../../../../collector/server/grpcStatus';
import { startCollector, type Running } from './harness';
import { MemoryStore } from './memoryStore';
import { gzipFramedCall, LOGS_EXPORT, rawUnary, TRACE_EXPORT } from './otelGrpc';

/** A realistic span time: the receiver rejects items timed before 2000 or far in the future. */
const NOW_NS = Date.now() * 1e6;

function traceRequest(names: string[]): Buffer {
  const t = otlpTypes();
  const spans = names.map((name, i) => ({ traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, i + 1), name, startTimeUnixNano: NOW_NS, endTimeUnixNano: NOW_NS + 1000 }));
  return Buffer.from(t.traceRequest.encode(t.traceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] })).finish());
}

describe('OTLP/gRPC receiver on bad input', () => {
  let c: Running;
  const port = () => c.collector.grpcAddress()!.port;
  beforeEach(async () => { c = await startCollector({ grpcPort: 'auto', maxBodyBytes: 64 * 1024 }); });
  afterEach(async () => { await c.stop(); });

  it('answers INVALID_ARGUMENT to bytes that are not an export request', async () => {
    const r = await rawUnary(port(), TRACE_EXPORT, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    assert.equal(r.error?.code, status.INVALID_ARGUMENT);
    assert.match(r.error!.details, /malformed protobuf/);
    const logs = await rawUnary(port(), LOGS_EXPORT, Buffer.from('not protobuf at all, just text'));
    assert.equal(logs.error?.code, status.INVALID_ARGUMENT);
    assert.equal(c.store.batches, 0);
  });

  it('answers RESOURCE_EXHAUSTED to a message above the body limit', async () => {
    const names = Array.from({ length: 800 }, (_, i) => `span ${i} `.padEnd(100, 'x'));
    const body = traceRequest(names);
    assert.ok(body.length > 64 * 1024);
    const r = await rawUnary(port(), TRACE_EXPORT, body);
    assert.equal(r.error?.code, status.RESOURCE_EXHAUSTED);
    assert.equal(c.store.spans.length, 0);
  });

  it('inflates a gzip message (grpc-encoding: gzip) and stores it', async () => {
    const r = await rawUnary(port(), TRACE_EXPORT, traceRequest(['a', 'b']), { gzip: true });
    assert.equal(r.error, undefined, r.error?.message);
    assert.deepEqual(c.store.spans.map((s) => s.name).sort(), ['a', 'b']);
  });

  it('answers RESOURCE_EXHAUSTED to a small gzip message that inflates above the limit', async () => {
    const r = await gzipFramedCall(port(), TRACE_EXPORT, Buffer.alloc(4 * 1024 * 1024));
    assert.ok(r.sentBytes < 64 * 1024, `the compressed frame is ${r.sentBytes} bytes`);
    assert.equal(r.status, status.RESOURCE_EXHAUSTED, r.message);
    assert.equal(c.store.batches, 0);
  });

  it('answers a well-formed hand-framed gzip call with OK', async () => {
    const r = await gzipFramedCall(port(), TRACE_EXPORT, traceRequest(['framed']));
    assert.equal(r.status, status.OK, r.message);
    assert.deepEqual(c.store.spans.map((s) => s.name), ['framed']);
  });
});

describe('OTLP/gRPC receiver before ingest is admitted', () => {
  it('answers UNAVAILABLE with RetryInfo while the store is still opening', async () => {
    let open!: () => void;
    const store = new MemoryStore();
    const opening = new Promise<void>((r) => (open = r));
    store.start = async () => { await opening; };
    const col = createCollector({ ...defaultConfig({}), port: 0, grpcPort: 'auto', storage: '/nonexistent-unused' }, { store });
    const started = col.start();
    try {
      const t0 = Date.now();
      while (!col.grpcAddress() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
      const r = await rawUnary(col.grpcAddress()!.port, TRACE_EXPORT, traceRequest(['early']));
      assert.equal(r.error?.code, status.UNAVAILABLE);
      assert.match(r.error!.details, /starting/);
      assert.equal(retryDelayOf(r.error!.metadata.get('grpc-status-details-bin')[0] as Buffer), 1);
      open();
      await started;
      const again = await rawUnary(col.grpcAddress()!.port, TRACE_EXPORT, traceRequest(['later']));
      assert.equal(again.error, undefined);
      assert.deepEqual(store.spans.map((s) => s.name), ['later']);
    } finally {
      open();
      await started.catch(() => undefined);
      await col.shutdown();
    }
  });
});
