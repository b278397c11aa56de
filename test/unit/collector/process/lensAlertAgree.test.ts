// One rule for what a span counts as (model/spanOutcome.ts): the lens on a handler's line and
// the error-rate alert on its endpoint must tell the same story. The traffic has both kinds of
// failure SDKs send (status ERROR, and a 5xx answered with the status left unset) and
// express-style nested handler spans at the same line.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { eventually, startRealCollector, type RealCollector } from '../../../harness/realCollector';

describe('lens and alert agree about one line (real collector, official exporter)', function () {
  this.timeout(60_000);
  let ws: string;
  let collector: RealCollector;
  after(async () => {
    await collector?.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  it('counts the same calls and the same errors for the handler line and its endpoint', async () => {
    ws = mkdtempSync(join(tmpdir(), 'vw-agree-'));
    const file = join(ws, 'checkout.js');
    writeFileSync(file, 'function checkout(req, res) {\n  res.json({});\n}\nmodule.exports = checkout;\n');
    collector = await startRealCollector({ workspace: ws, flags: { 'analysis-settings': JSON.stringify({ tickIntervalMs: 200, flushIntervalMs: 200, traceQuietMs: 300 }) } });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${collector.url}/v1/traces` }), { scheduledDelayMillis: 50 })],
    });
    const tracer = provider.getTracer('agree');
    const at = { 'code.filepath': file, 'code.lineno': 1, 'code.function': 'checkout' };
    const t0 = Date.now() - 20_000;
    let errors = 0;
    for (let i = 0; i < 40; i++) {
      const status = i % 8 === 0 ? 500 : i % 8 === 4 ? 503 : 200;
      const server = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: t0 + i * 100, attributes: { ...at, 'http.request.method': 'POST', 'http.route': '/checkout', 'http.response.status_code': status } });
      const handler = tracer.startSpan('request handler - /checkout', { startTime: t0 + i * 100 + 1, attributes: { ...at, 'express.type': 'request_handler', 'http.route': '/checkout' } }, trace.setSpan(context.active(), server));
      handler.end(t0 + i * 100 + 20);
      // Half the failures with status ERROR, half with the 5xx alone (status left unset).
      if (status === 500) server.setStatus({ code: SpanStatusCode.ERROR });
      if (status >= 500) errors++;
      server.end(t0 + i * 100 + 21);
    }
    await provider.forceFlush();
    await provider.shutdown();

    const alert = await eventually('the error-rate alert', async () => (await collector.client.request('alerts', {})).find((a) => a.ruleId === 'default.endpoint-error-rate'));
    const line = (await collector.client.request('fileSummary', { file })).lines.find((l) => l.line === 1 && l.kind === 'span');
    assert.ok(line, 'a lens on the handler line');
    assert.equal(line.calls, 40, 'one call per request (the nested handler span is the same call)');
    assert.equal(line.errors, errors, 'both kinds of failure');
    assert.equal(alert.value, line.errors / line.calls, `alert: ${alert.text}`);
    assert.match(alert.text, /\(40 calls\)/);
    const series = (await collector.client.request('baselineSeriesList', { kind: 'location' })).find((s) => s.location?.file === file && s.location.line === 1);
    assert.ok(series, 'a location baseline for the line');
    const buckets = (await collector.client.request('baselineSeries', { key: series.key })).buckets;
    assert.equal(buckets.reduce((n, b) => n + b.count, 0), 40, 'the baseline counts the line as the lens does');
    assert.equal(buckets.reduce((n, b) => n + b.errors, 0), errors);
  });
});
