// The OTLP/gRPC receiver in the collector process (real sql.js store, the plugins the
// extension runs): kill -9 after acknowledgement, and a busy gRPC port.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { LiveClient } from '../../../../collector/live/client';
import { secretFrom } from '../../../../collector/live/secretFile';
import { spawnCollector, type Spawned } from '../cli/spawn';
import { ExportResultCode as Code, makeSpans, sendSpans } from './otelPayloads';
import { sendSpansGrpc } from './otelGrpc';

const BATCH = 5;

/** `n` root spans made by the official SDK, each its own trace. */
async function rootSpans(n: number, prefix: string): Promise<ReadableSpan[]> {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'crash' }), spanProcessors: [new SimpleSpanProcessor(mem)] });
  const tracer = provider.getTracer('crash');
  for (let i = 0; i < n; i++) tracer.startSpan(`${prefix} ${i}`, { kind: SpanKind.SERVER }).end();
  await provider.forceFlush();
  const spans = mem.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** Exports batches with the official gRPC exporter (4 in flight) until the process dies;
 *  returns the trace ids of every batch that was acknowledged. */
async function exportUntilKilled(p: Spawned, grpcPort: number, killAfterMs: number, prefix: string): Promise<string[]> {
  const spans = await rootSpans(4000, prefix);
  const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${grpcPort}`, timeoutMillis: 3000 });
  const acked: string[] = [];
  let dead = false;
  void p.exited.then(() => (dead = true));
  setTimeout(() => p.child.kill('SIGKILL'), killAfterMs);
  let next = 0;
  const worker = async () => {
    while (!dead && next < spans.length) {
      const batch = spans.slice(next, next + BATCH);
      next += BATCH;
      const r = await new Promise<{ code: number }>((resolve) => exporter.export(batch, resolve));
      if (r.code === ExportResultCode.SUCCESS) acked.push(...batch.map((s) => s.spanContext().traceId));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await p.exited;
  void exporter.shutdown();
  return acked;
}

describe('OTLP/gRPC receiver in the collector process', function () {
  this.timeout(120_000);
  let dir: string;
  const procs: Spawned[] = [];
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'vw-grpc-proc-')); });
  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) { p.child.kill('SIGKILL'); await p.exited; }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every batch it acknowledged over gRPC, exactly once, across kill -9', async () => {
    const acked: string[] = [];
    for (let run = 0; run < 2; run++) {
      const p = spawnCollector(['--port', '0', '--grpc-port', 'auto', '--storage', dir]);
      procs.push(p);
      const listening = await p.waitFor(['listening']);
      assert.equal(typeof listening.grpcPort, 'number');
      acked.push(...(await exportUntilKilled(p, Number(listening.grpcPort), 800 + Math.floor(Math.random() * 800), `run${run}`)));
    }
    assert.ok(acked.length >= 2 * BATCH, `only ${acked.length} spans acknowledged before the kills`);
    const p = spawnCollector(['--port', '0', '--storage', dir]);
    procs.push(p);
    const client = new LiveClient({ port: Number((await p.waitFor(['listening'])).port), secret: secretFrom(dir) });
    try {
      await client.connect();
      for (const traceId of acked) assert.equal((await client.request('trace', { traceId })).length, 1, `acknowledged trace ${traceId}`);
    } finally {
      client.dispose();
    }
  });

  it('warns and keeps serving OTLP/HTTP when the gRPC port is busy', async () => {
    const foreign: Server = createServer((s) => s.end());
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
    try {
      const busy = (foreign.address() as { port: number }).port;
      const p = spawnCollector(['--port', '0', '--grpc-port', String(busy), '--storage', dir]);
      procs.push(p);
      const warning = await p.waitFor(['grpc-unavailable']);
      assert.equal(warning.port, busy);
      assert.match(String(warning.message), new RegExp(`could not listen on 127\\.0\\.0\\.1:${busy} .*OTLP/HTTP is still served`));
      const listening = await p.waitFor(['listening']);
      assert.equal(listening.grpcPort, null);
      const r = await sendSpans(`http://127.0.0.1:${listening.port}`, 'protobuf', await makeSpans());
      assert.equal(r.code, Code.SUCCESS, r.error?.message);
      const g = await sendSpansGrpc(`http://127.0.0.1:${busy}`, await makeSpans());
      assert.equal(g.code, Code.FAILED, 'the foreign listener is not a collector');
      p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0);
    } finally {
      foreign.close();
    }
  });
});
