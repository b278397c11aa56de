// One time series behind the lens and the alerts (collector/timeseries): the CodeLens figures
// of a handler line and the alert figures of its endpoint are folded from the same journal
// records with the same rules, so they agree on calls, errors and p95; and they are saved
// in one checkpoint (the store's aggregates.json), so a restarted collector shows the same
// figures before any new traffic arrives.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BASELINES_KEY } from '../../../../collector/analysis/persistence';
import { eventually, startRealCollector, type RealCollector } from '../../../harness/realCollector';

describe('lens and alert figures come from one time series and one checkpoint (real collector)', function () {
  this.timeout(90_000);
  let ws: string;
  let storage: string;
  let collector: RealCollector | undefined;
  after(async () => {
    await collector?.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(storage, { recursive: true, force: true });
  });

  it('agrees on calls, errors and p95 for one line and its endpoint, and restores them after a restart', async () => {
    ws = mkdtempSync(join(tmpdir(), 'vw-onecp-'));
    storage = mkdtempSync(join(tmpdir(), 'vw-onecp-store-'));
    const file = join(ws, 'orders.js');
    writeFileSync(file, 'function listOrders(req, res) {\n  res.json([]);\n}\nmodule.exports = listOrders;\n');
    const flags = {
      workspace: ws,
      // Saved uncoarsened, so the restored p95 is the same number (the default coarsens 4×).
      'analysis-settings': JSON.stringify({
        tickIntervalMs: 200, flushIntervalMs: 200, traceQuietMs: 300, persistCoarsen: 1, persistFullMinutes: 60,
        rules: [{ id: 'orders-p95', kind: 'latencyP95', op: '>', threshold: 1, windowMinutes: 5, minCalls: 10, for: '10m', severity: 'warning' }],
      }),
    };
    collector = await startRealCollector({ storage, flags });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'orders' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${collector.url}/v1/traces` }), { scheduledDelayMillis: 50 })],
    });
    const tracer = provider.getTracer('one-checkpoint');
    const at = { 'code.filepath': file, 'code.lineno': 1, 'code.function': 'listOrders' };
    const t0 = Date.now() - 20_000;
    let errors = 0;
    for (let i = 0; i < 60; i++) {
      // A spread of durations (5..124 ms), a few slow outliers, 5xx with and without ERROR.
      const dur = 5 + ((i * 37) % 120);
      const status = i % 10 === 3 ? 500 : i % 10 === 7 ? 502 : 200;
      const server = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: t0 + i * 100, attributes: { ...at, 'http.request.method': 'GET', 'http.route': '/orders', 'http.response.status_code': status } });
      const handler = tracer.startSpan('request handler - /orders', { startTime: t0 + i * 100 + 1, attributes: { ...at, 'express.type': 'request_handler', 'http.route': '/orders' } }, trace.setSpan(context.active(), server));
      handler.end(t0 + i * 100 + dur - 1);
      if (status === 500) server.setStatus({ code: SpanStatusCode.ERROR });
      if (status >= 500) errors++;
      server.end(t0 + i * 100 + dur);
    }
    await provider.forceFlush();
    await provider.shutdown();

    const figures = async (c: RealCollector) => {
      const alerts = await c.client.request('alerts', {});
      const errorRate = alerts.find((a) => a.ruleId === 'default.endpoint-error-rate');
      const p95 = alerts.find((a) => a.ruleId === 'orders-p95');
      const line = (await c.client.request('fileSummary', { file })).lines.find((l) => l.line === 1 && l.kind === 'span');
      return errorRate && p95 && line && line.calls === 60 ? { errorRate, p95, line } : undefined;
    };
    const before = await eventually('lens and both alerts', () => figures(collector!));
    assert.equal(before.line.calls, 60, 'one call per request (the nested handler span is the same call)');
    assert.equal(before.line.errors, errors, 'both kinds of failure');
    assert.equal(before.errorRate.value, before.line.errors / before.line.calls, `error-rate alert: ${before.errorRate.text}`);
    assert.match(before.errorRate.text, /\(60 calls\)/);
    assert.equal(before.p95.value, before.line.p95Ms, `p95 alert: ${before.p95.text}; lens p95 ${before.line.p95Ms}`);
    assert.ok(before.line.p95Ms! > 100 && before.line.p95Ms! < 130, `p95 ${before.line.p95Ms}`);

    await collector.stop();
    collector = undefined;
    // One checkpoint holds the lens lines and the endpoint's minute series; the analysis
    // state holds no span series of its own.
    const ckpt = JSON.parse(readFileSync(join(storage, 'aggregates.json'), 'utf8')) as { version: number; lines: unknown[]; baselines: { key: string }[] };
    assert.equal(ckpt.version, 2);
    assert.ok(ckpt.baselines.some((s) => s.key === 'ep|orders|GET /orders'), 'the endpoint series is in the checkpoint');
    const state = JSON.parse(readFileSync(join(storage, 'state.json'), 'utf8')) as Record<string, { baselines?: { series: { kind: string }[] } }>;
    const saved = state[BASELINES_KEY]?.baselines?.series ?? [];
    assert.deepEqual(saved.filter((s) => s.kind !== 'metric'), [], 'no span series saved a second time in the analysis state');

    collector = await startRealCollector({ storage, flags });
    const after = await eventually('figures after the restart', () => figures(collector!));
    assert.deepEqual([after.line.calls, after.line.errors, after.line.p95Ms], [before.line.calls, before.line.errors, before.line.p95Ms], 'the lens, restored');
    const series = (await collector.client.request('baselineSeries', { key: 'ep|orders|GET /orders' })).buckets;
    assert.equal(series.reduce((n, b) => n + b.count, 0), 60, 'the endpoint series, restored: every call once');
    assert.equal(series.reduce((n, b) => n + b.errors, 0), errors);
    await eventually('alerts re-evaluated on the restored series', async () => {
      const f = await figures(collector!);
      return f && f.errorRate.value === after.line.errors / after.line.calls && f.p95.value === after.line.p95Ms;
    });
  });
});
