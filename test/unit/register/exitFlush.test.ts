// The pure parts of the exit flush: what counts as undelivered, and the OTLP requests built
// from it (the end-to-end crash behaviour is in crashExport.test.ts).
import { strict as assert } from 'node:assert';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ExportResultCode } from '@opentelemetry/core';
import { resolvedEndpoint } from '../../../register/config';
import { exitPosts, settling, Undelivered, UndeliveredSpans } from '../../../register/exitFlush';

describe('exit flush', () => {
  it('keeps ended spans undelivered until the export carrying them settles', async () => {
    const pending = new Undelivered<ReadableSpan>();
    const exporter = settling(new InMemorySpanExporter(), pending);
    const provider = new BasicTracerProvider({ spanProcessors: [new UndeliveredSpans(pending)] });
    const tracer = provider.getTracer('t');
    const a = tracer.startSpan('a');
    a.end();
    tracer.startSpan('b').end();
    assert.equal(pending.size, 2);
    const done = new Promise((r) => exporter.export([a as unknown as ReadableSpan], r));
    assert.equal(pending.size, 2, 'an export in flight has not delivered yet');
    assert.equal(((await done) as { code: number }).code, ExportResultCode.SUCCESS);
    assert.deepEqual(pending.take().map((s) => s.name), ['b']);
    assert.equal(pending.size, 0);
  });

  it('forgets the oldest beyond its bound', () => {
    const pending = new Undelivered<{ n: number }>(2);
    for (const n of [1, 2, 3]) pending.add({ n });
    assert.deepEqual(pending.take().map((x) => x.n), [2, 3]);
  });

  it('builds the requests as the exporters are configured: endpoint, encoding, headers', () => {
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
    const span = provider.getTracer('t').startSpan('crashing request');
    span.end();
    const spans = [span as unknown as ReadableSpan];
    const [proto] = exitPosts(spans, [], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4999/', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k1' });
    assert.equal(proto.url, 'http://127.0.0.1:4999/v1/traces');
    assert.equal(proto.headers['content-type'], 'application/x-protobuf');
    assert.equal(proto.headers['x-api-key'], 'k1');
    assert.ok(Buffer.from(proto.body).includes('crashing request'));
    const [json] = exitPosts(spans, [], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:5000/t', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    assert.equal(json.url, 'http://127.0.0.1:5000/t');
    assert.equal(JSON.parse(Buffer.from(json.body).toString()).resourceSpans[0].scopeSpans[0].spans[0].name, 'crashing request');
    assert.deepEqual(exitPosts([], [], {}), [], 'nothing undelivered, nothing sent');
  });

  it('resolves the endpoint as the OTLP exporters do', () => {
    assert.equal(resolvedEndpoint('logs', {}), 'http://127.0.0.1:4318/v1/logs');
    assert.equal(resolvedEndpoint('logs', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://h:1' }), 'http://h:1/v1/logs');
    assert.equal(resolvedEndpoint('logs', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://h:1', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://h:2/x' }), 'http://h:2/x');
  });
});
