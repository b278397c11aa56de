import { strict as assert } from 'node:assert';
import { LogHistogram } from '../../../../collector/model/histogram';

describe('LogHistogram', () => {
  it('answers quantiles within 2% of the exact value', () => {
    const h = new LogHistogram();
    const values: number[] = [];
    let seed = 7;
    for (let n = 0; n < 20000; n++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const v = 1 + (seed / 2 ** 31) * 999; // 1..1000 ms
      values.push(v);
      h.add(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1];
      const got = h.quantile(q);
      assert.ok(Math.abs(got - exact) / exact < 0.02, `q${q}: ${got} vs ${exact}`);
    }
  });

  it('merges to the same answer as adding everything to one histogram', () => {
    const a = new LogHistogram(), b = new LogHistogram(), all = new LogHistogram();
    for (let v = 1; v < 500; v++) { (v % 2 ? a : b).add(v); all.add(v); }
    a.merge(b);
    assert.equal(a.count, all.count);
    assert.equal(a.quantile(0.95), all.quantile(0.95));
  });

  it('round-trips through JSON and stays small', () => {
    const h = new LogHistogram();
    for (let v = 0; v < 10000; v++) h.add(v * 0.37);
    const back = LogHistogram.fromJSON(JSON.parse(JSON.stringify(h.toJSON())));
    assert.equal(back.quantile(0.5), h.quantile(0.5));
    assert.ok(h.bucketCount < 500, `bucket count ${h.bucketCount}`);
  });

  it('is empty-safe', () => {
    assert.ok(Number.isNaN(new LogHistogram().quantile(0.5)));
  });
});
