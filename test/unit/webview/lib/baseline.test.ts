import { strict as assert } from 'node:assert';
import { baselineBand } from '../../../../webview/lib/baseline';

describe('baseline band', () => {
  it('has no band until enough history', () => {
    const b = baselineBand([1, 2, 3], 30, 3, 8);
    assert.deepEqual(b.lower, [null, null, null]);
  });

  it('is centred on the median of previous points and excludes a spike', () => {
    const values = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 100];
    const b = baselineBand(values);
    const i = values.length - 1;
    assert.ok(b.upper[i]! > 10 && b.upper[i]! < 20, `upper ${b.upper[i]}`);
    assert.ok(b.lower[i]! < 10);
    assert.ok(values[i] > b.upper[i]!, 'the spike lies outside the band');
  });

  it('skips missing points', () => {
    const b = baselineBand([5, null, 5, 5, 5, 5, 5, 5, 5, null, 5], 30, 3, 8);
    assert.equal(b.upper[10], 5.25); // MAD 0 → 5% floor around the median
  });
});
