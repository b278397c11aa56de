import { strict as assert } from 'node:assert';
import { Aggregates } from '../../../../collector/aggregate/aggregates';
import { HOUR_MS, MINUTE_MS } from '../../../../collector/aggregate/fileAggregates';
import { MAX_SERIES, MetricAggregates } from '../../../../collector/aggregate/metricAggregates';
import type { MetricRow, RowBatch } from '../../../../collector/store/rows';

const t0 = Date.UTC(2026, 10, 25, 12, 0);
const AK = '{"route":"/orders","service.name":"shop"}';
function point(o: Partial<MetricRow> & { s: number }): MetricRow {
  return { n: 'http.server.duration', k: 'histogram', sv: 'shop', ak: AK, v: 0, c: 1, sum: 0, j: '{}', ri: 0, ...o };
}

describe('MetricAggregates', () => {
  it('folds histogram points by observations: count, sum, min, max', () => {
    const m = new MetricAggregates();
    m.add(point({ s: t0 + 1, c: 10, sum: 200, mn: 5, mx: 80, v: 20 }));
    m.add(point({ s: t0 + 2, c: 5, sum: 50, mn: 2, mx: 30, v: 10 }));
    const [b] = m.buckets('http.server.duration', AK, t0);
    assert.deepEqual(b, { startMs: t0, widthMs: MINUTE_MS, count: 15, sum: 250, min: 2, max: 80, last: 10 });
  });

  it('serves hour buckets where minute buckets were pruned, then minute buckets', () => {
    const m = new MetricAggregates();
    m.add(point({ s: t0 - 5 * HOUR_MS, c: 1, sum: 1 }));
    m.add(point({ s: t0, c: 1, sum: 2 }));
    m.prune(t0 - HOUR_MS, t0 - 30 * 24 * HOUR_MS);
    const bs = m.buckets('http.server.duration', AK, t0 - 6 * HOUR_MS);
    assert.deepEqual(bs.map((b) => [b.startMs, b.widthMs, b.sum]), [[t0 - 5 * HOUR_MS, HOUR_MS, 1], [t0, MINUTE_MS, 2]]);
  });

  it('lists series with their kind, service and point count', () => {
    const m = new MetricAggregates();
    m.add(point({ s: t0 }));
    m.add(point({ s: t0 + 5 }));
    assert.deepEqual(m.list(), [{ name: 'http.server.duration', attrsKey: AK, service: 'shop', kind: 'histogram', lastMs: t0 + 5, points: 2 }]);
  });

  it('stops creating series at the cardinality cap and counts what it turned away', () => {
    const m = new MetricAggregates();
    for (let i = 0; i < MAX_SERIES + 5; i++) m.add(point({ s: t0, ak: `{"user.id":"${i}"}` }));
    m.add(point({ s: t0 + 1, ak: '{"user.id":"0"}' })); // an existing series still counts
    assert.equal(m.list().length, MAX_SERIES);
    assert.equal(m.overflow, 5);
    assert.equal(m.buckets('http.server.duration', '{"user.id":"0"}', t0)[0].count, 2);
  });

  it('restores empty min/max from its checkpoint so later points still set them', () => {
    const m = new MetricAggregates();
    m.add(point({ s: t0, k: 'summary' })); // a summary point has no min/max
    const r = new MetricAggregates();
    r.load(JSON.parse(JSON.stringify(m.toJSON())));
    r.add(point({ s: t0 + 1, mn: 3, mx: 4 }));
    const [b] = r.buckets('http.server.duration', AK, t0);
    assert.deepEqual([b.min, b.max], [3, 4]);
  });
});

describe('Aggregates', () => {
  it('ignores a journal record at or below the last sequence it folded in', () => {
    const a = new Aggregates();
    const rb = (q: number): RowBatch => ({ q, res: [], sp: [], lg: [], mt: [point({ s: t0 })] });
    assert.equal(a.add(rb(1)), true);
    assert.equal(a.add(rb(1)), false);
    assert.equal(a.metrics.list()[0].points, 1);
    const b = new Aggregates();
    b.restore(JSON.parse(JSON.stringify(a.checkpoint(t0))));
    assert.equal(b.add(rb(1)), false);
    assert.equal(b.add(rb(2)), true);
  });
});
