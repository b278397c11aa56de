// Drives the OTLP/gRPC receiver like bench/receiver.ts drives OTLP/HTTP: the same protobuf
// bodies round-robin, `concurrency` unary calls in flight on one HTTP/2 channel, for `ms`.
import { Client, credentials, Metadata } from '@grpc/grpc-js';

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export async function driveGrpc(port: number, bodies: Uint8Array[], spansPerBatch: number, ms: number, concurrency = 4): Promise<{ spansPerSec: number; requests: number; failures: number }> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  const id = (b: Buffer) => b;
  let requests = 0;
  let failures = 0;
  const end = Date.now() + ms;
  const t0 = process.hrtime.bigint();
  const one = (body: Uint8Array) => new Promise<void>((resolve) => {
    client.makeUnaryRequest(TRACE_EXPORT, id, id, Buffer.from(body.buffer, body.byteOffset, body.byteLength), new Metadata(), {}, (err) => {
      if (err) failures++;
      resolve();
    });
  });
  await Promise.all(Array.from({ length: concurrency }, async (_v, w) => {
    let i = w;
    while (Date.now() < end) { await one(bodies[i++ % bodies.length]); requests++; }
  }));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  client.close();
  return { spansPerSec: Math.round(((requests - failures) * spansPerBatch) / secs), requests, failures };
}
