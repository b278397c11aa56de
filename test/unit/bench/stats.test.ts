import { strict as assert } from 'node:assert';
import { mean, quantile, ratio, round2 } from '../../../bench/stats';

describe('bench stats', () => {
  it('quantile picks the value at the rank, clamped to the last', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(quantile(xs, 0.5), 6);
    assert.equal(quantile(xs, 0.95), 10);
    assert.equal(quantile(xs, 1), 10);
    assert.equal(quantile([], 0.5), 0);
  });
  it('mean of nothing is 0', () => {
    assert.equal(mean([]), 0);
    assert.equal(mean([1, 2, 6]), 3);
  });
  it('ratio rounds to 2 decimals and refuses a zero denominator', () => {
    assert.equal(ratio(1, 3), 0.33);
    assert.equal(ratio(5, 0), null);
    assert.equal(round2(1.005 * 100) , 100.5);
  });
});
