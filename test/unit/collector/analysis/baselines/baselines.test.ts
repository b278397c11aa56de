import { strict as assert } from 'node:assert';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { Baselines } from '../../../../../collector/analysis/baselines/baselines';
import { observeSpans } from '../foldSpans';
import { MINUTE_MS } from '../../../../../collector/timeseries/minuteSeries';
import { exportMetrics, traced } from '../otelHelper';

const RES = { 'service.name': 'shop-api' };
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** A real SDK meter with cumulative temporality; `collect` exports through the official
 *  protobuf exporter and returns the decoded batch. */
function sdkMeter(temporality: AggregationTemporality) {
  const reader = new ManualReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({ resource: resourceFromAttributes(RES), readers: [reader] });
  return {
    meter: provider.getMeter('test'),
    async collect() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length) throw errors[0];
      return exportMetrics(resourceMetrics);
    },
    shutdown: () => provider.shutdown(),
  };
}

function baselines(): Baselines {
  return new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
}

describe('analysis/baselines', () => {
  it('buckets an endpoint per minute: rate, error rate, p50/p95 from server spans', async () => {
    const batch = await traced(RES, (tr) => {
      for (let i = 0; i < 20; i++) {
        const s = tr.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: T0 + i * 1000, attributes: { 'http.request.method': 'GET', 'http.route': '/orders' } });
        if (i % 5 === 0) s.setStatus({ code: SpanStatusCode.ERROR });
        s.end(T0 + i * 1000 + (i < 19 ? 20 : 400));
      }
      const next = tr.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: T0 + MINUTE_MS, attributes: { 'http.request.method': 'GET', 'http.route': '/orders' } });
      next.end(T0 + MINUTE_MS + 30);
    });
    const b = baselines();
    observeSpans(b, batch.spans);
    const se = b.series.get('ep|shop-api|GET /orders')!;
    const [m0, m1] = se.bucketViews();
    assert.equal(m0.minuteMs, T0);
    assert.equal(m0.count, 20);
    assert.equal(m0.errors, 4);
    assert.ok(Math.abs(m0.p50! - 20) < 0.5);
    assert.equal(se.value(se.buckets.get(T0), 'errorRate'), 0.2);
    assert.equal(m1.count, 1);
  });

  it('turns cumulative monotonic sums from the SDK into per-minute deltas', async () => {
    const sdk = sdkMeter(AggregationTemporality.CUMULATIVE);
    const counter = sdk.meter.createCounter('orders.created');
    const b = baselines();
    counter.add(5);
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    counter.add(3);
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    counter.add(4);
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    await sdk.shutdown();
    const se = [...b.series.values()].find((s) => s.name === 'orders.created')!;
    assert.equal(se.metricKind, 'delta');
    const total = [...se.buckets.values()].reduce((a, x) => a + x.sum, 0);
    assert.equal(total, 7, 'the first cumulative point only sets the start; then +3, +4');
  });

  it('treats a counter restart (new start time, smaller value) as a reset, not a negative delta', async () => {
    const b = baselines();
    const first = sdkMeter(AggregationTemporality.CUMULATIVE);
    const c1 = first.meter.createCounter('orders.created');
    c1.add(100);
    for (const p of (await first.collect()).metrics) b.observeMetric(p);
    c1.add(10);
    for (const p of (await first.collect()).metrics) b.observeMetric(p);
    await first.shutdown();
    await new Promise((r) => setTimeout(r, 5));
    const second = sdkMeter(AggregationTemporality.CUMULATIVE); // the process restarted
    const c2 = second.meter.createCounter('orders.created');
    c2.add(2);
    for (const p of (await second.collect()).metrics) b.observeMetric(p);
    await second.shutdown();
    const se = [...b.series.values()].find((s) => s.name === 'orders.created')!;
    const deltas = [...se.buckets.values()].reduce((a, x) => a + x.sum, 0);
    assert.equal(deltas, 12, '+10, then +2 after the reset');
  });

  it('takes delta sums as they are', async () => {
    const sdk = sdkMeter(AggregationTemporality.DELTA);
    const counter = sdk.meter.createCounter('jobs.done');
    const b = baselines();
    counter.add(5);
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    counter.add(3);
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    await sdk.shutdown();
    const se = [...b.series.values()].find((s) => s.name === 'jobs.done')!;
    assert.equal([...se.buckets.values()].reduce((a, x) => a + x.sum, 0), 8);
  });

  it('diffs cumulative histograms so each minute holds only its own observations', async () => {
    const sdk = sdkMeter(AggregationTemporality.CUMULATIVE);
    const h = sdk.meter.createHistogram('http.server.request.duration', { unit: 'ms' });
    const b = baselines();
    h.record(10);
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    for (let i = 0; i < 9; i++) h.record(900);
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    await sdk.shutdown();
    const se = [...b.series.values()].find((s) => s.name === 'http.server.request.duration')!;
    const all = se.window(0, Number.MAX_SAFE_INTEGER);
    assert.equal(all.count, 9);
    const p95 = se.value([...se.buckets.values()][0], 'value')!;
    assert.ok(p95 > 750 && p95 <= 1000, `p95 ${p95} lies in the 750–1000 bucket`);
  });

  it('averages gauges per minute and takes a limit from a `*limit` attribute', async () => {
    const sdk = sdkMeter(AggregationTemporality.CUMULATIVE);
    let v = 100;
    sdk.meter.createObservableGauge('process.memory.usage', { unit: 'By' }).addCallback((r) => r.observe(v, { 'process.memory.limit': 1000 }));
    const b = baselines();
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    v = 200;
    for (const p of (await sdk.collect()).metrics) b.observeMetric(p);
    await sdk.shutdown();
    const se = [...b.series.values()].find((s) => s.name === 'process.memory.usage')!;
    assert.equal(se.value(se.buckets.get(se.lastMinuteMs), 'value'), 150);
    assert.equal(se.limit, 1000);
    assert.equal(se.unit, 'By');
  });

  it('keeps at most `windowMinutes` buckets per series', async () => {
    const b = new Baselines({ windowMinutes: 5, maxSeries: 10, limits: {} });
    const batch = await traced(RES, (tr) => {
      for (let m = 0; m < 12; m++) {
        tr.startSpan('GET /a', { kind: SpanKind.SERVER, startTime: T0 + m * MINUTE_MS, attributes: { 'http.route': '/a' } }).end(T0 + m * MINUTE_MS + 5);
      }
    });
    observeSpans(b, batch.spans);
    const se = [...b.series.values()][0];
    assert.equal(se.buckets.size, 5);
    assert.equal(Math.min(...se.buckets.keys()), T0 + 7 * MINUTE_MS);
  });
});
