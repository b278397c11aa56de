import { strict as assert } from 'node:assert';
import { SeriesTable } from '../../../../collector/timeseries/seriesTable';
import { cellFromJson, cellToJson, mergeCell, newCell, observe } from '../../../../collector/timeseries/cell';

interface E { file: string; lastMs: number }

describe('timeseries/seriesTable and cell', () => {
  it('refuses new series when full and counts them, keeping what it has exact', () => {
    const t = new SeriesTable<E>({ max: 2, policy: 'refuse', groupOf: (e) => e.file });
    assert.ok(t.ensure('a', () => ({ file: 'x', lastMs: 1 })));
    assert.ok(t.ensure('b', () => ({ file: 'y', lastMs: 2 })));
    assert.equal(t.ensure('c', () => ({ file: 'x', lastMs: 3 })), undefined);
    assert.equal(t.overflow, 1);
    assert.ok(t.ensure('a', () => ({ file: 'x', lastMs: 9 })), 'an existing series is still found');
    assert.deepEqual([...t.group('x')].map(([k]) => k), ['a']);
    assert.deepEqual(t.groupNames().sort(), ['x', 'y']);
    t.delete('b');
    assert.deepEqual(t.groupNames(), ['x'], 'an emptied group goes');
  });

  it('replaces the stalest series when full and evicting, and counts that too', () => {
    const t = new SeriesTable<E>({ max: 2, policy: 'evictStalest', lastMs: (e) => e.lastMs });
    t.ensure('old', () => ({ file: '', lastMs: 1 }));
    t.ensure('new', () => ({ file: '', lastMs: 5 }));
    t.ensure('newest', () => ({ file: '', lastMs: 6 }));
    assert.deepEqual([...t.keys()].sort(), ['new', 'newest']);
    assert.equal(t.overflow, 1);
  });

  it('a cell merges exactly and round-trips through JSON', () => {
    const a = newCell(true);
    const b = newCell(true);
    for (let i = 1; i <= 50; i++) observe(i % 2 ? a : b, i, i % 10 === 0);
    const m = mergeCell(newCell(true), a);
    mergeCell(m, b);
    assert.deepEqual([m.count, m.errors, m.sum, m.max], [50, 5, 1275, 50]);
    assert.ok(Math.abs(m.hist!.quantile(0.95) - 48) / 48 < 0.02);
    const back = cellFromJson(JSON.parse(JSON.stringify(cellToJson(m))));
    assert.deepEqual([back.count, back.errors, back.sum, back.max, back.hist!.quantile(0.95)], [m.count, m.errors, m.sum, m.max, m.hist!.quantile(0.95)]);
    const noHist = newCell(false);
    observe(noHist, 3, false);
    assert.equal(cellToJson(noHist)[4], null, 'minute cells of the lens carry no histogram');
  });
});
