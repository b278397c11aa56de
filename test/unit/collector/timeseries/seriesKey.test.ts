import { strict as assert } from 'node:assert';
import { endpointKey, lineKey, metricKey, parseSeriesKey, revisionKey, seriesKey } from '../../../../collector/timeseries/seriesKey';
import { rekey } from '../../../../collector/timeseries/spanBaselines';
import type { SeriesJson } from '../../../../collector/timeseries/minuteSeries';

describe('timeseries/seriesKey (the one key encoding)', () => {
  it('reads plain values as written, so endpoint keys look as they always did', () => {
    assert.equal(endpointKey('shop', 'GET /orders'), 'ep|shop|GET /orders');
    assert.equal(lineKey('/src/a.js', 12, 'span'), 'line|/src/a.js|12|span');
    assert.equal(revisionKey('query', '/src/a.js', 12, 'abc1234'), 'rev|query|/src/a.js|12|abc1234');
  });

  it('escapes | and % so values holding them round-trip and never collide', () => {
    const a = endpointKey('a|b', 'GET /x');
    const b = endpointKey('a', 'b|GET /x');
    assert.notEqual(a, b);
    assert.deepEqual(parseSeriesKey(a), { kind: 'ep', values: ['a|b', 'GET /x'] });
    assert.deepEqual(parseSeriesKey(b), { kind: 'ep', values: ['a', 'b|GET /x'] });
    const attrs = '{"pool":"main|replica","pct":"100%7C"}';
    assert.deepEqual(parseSeriesKey(metricKey('db', 'pool.used', attrs))!.values, ['db', 'pool.used', attrs]);
  });

  it('refuses a wrong number of dimensions and is not fooled by other strings', () => {
    assert.throws(() => seriesKey('ep', 'shop'), /2 dimensions/);
    assert.equal(parseSeriesKey('nope|x'), undefined);
    assert.equal(parseSeriesKey('ep|only-one'), undefined);
  });

  it('re-keys a series saved before escaping (a metric whose attributes hold |)', () => {
    const old: SeriesJson = { key: 'm|shop|q.depth|{"q":"a|b"}', kind: 'metric', service: 'shop', name: 'q.depth', buckets: [] };
    assert.equal(rekey(old).key, metricKey('shop', 'q.depth', '{"q":"a|b"}'));
    const plain: SeriesJson = { key: 'ep|shop|GET /x', kind: 'endpoint', service: 'shop', name: 'GET /x', buckets: [] };
    assert.equal(rekey(plain), plain, 'a key already in the encoding is kept');
  });
});
