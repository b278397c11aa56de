import { strict as assert } from 'node:assert';
import { Series, packBucket, unpackBucket, MINUTE_MS } from '../../../../collector/timeseries/minuteSeries';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function latencySeries(): Series {
  const s = new Series('ep|a|GET /x', 'endpoint', 'a', 'GET /x', 60);
  for (let m = 0; m < 3; m++) for (let i = 1; i <= 200; i++) s.addCall(T0 + m * MINUTE_MS + i, 5 + (i % 100) * 3.7, i % 10 === 0);
  return s;
}

describe('timeseries/minuteSeries', () => {
  it('packs a bucket with its histogram: counts exact, quantiles within the coarsening error', () => {
    const b = latencySeries().buckets.get(T0)!;
    const u = unpackBucket(JSON.parse(JSON.stringify(packBucket(b, 1, 4))) as number[]);
    assert.deepEqual([u.m, u.count, u.errors, u.hist.count, u.hist.min, u.hist.max], [b.m, b.count, b.errors, b.hist.count, b.hist.min, b.hist.max]);
    for (const q of [0.5, 0.95]) assert.ok(Math.abs(u.hist.quantile(q) - b.hist.quantile(q)) / b.hist.quantile(q) < 0.05, `q${q}`);
  });

  it('packs an older bucket as count + p50 + p95, which is what the detectors read back', () => {
    const s = latencySeries();
    const b = s.buckets.get(T0)!;
    const u = unpackBucket(packBucket(b, 2, 4));
    assert.equal(u.hist.count, b.hist.count);
    assert.ok(Math.abs(s.value(u, 'p95')! - s.value(b, 'p95')!) < 1e-3);
    assert.ok(Math.abs(u.hist.quantile(0.5) - b.hist.quantile(0.5)) < 1e-3);
    assert.equal(s.value(u, 'errorRate'), 0.1);
  });

  it('saves only the last minutes asked for, histograms only for the most recent', () => {
    const s = latencySeries();
    const j = s.toJSON({ lastMinutes: 2, fullMinutes: 1, coarsen: 4 });
    assert.deepEqual(j.buckets.map((b) => [b[0] * MINUTE_MS - T0, b[5]]), [[MINUTE_MS, 2], [2 * MINUTE_MS, 1]]);
    const back = Series.fromJSON(JSON.parse(JSON.stringify(j)), 60);
    assert.equal(back.lastMinuteMs, T0 + 2 * MINUTE_MS);
    assert.equal(back.window(0, Infinity).count, 400);
  });
});
