import { strict as assert } from 'node:assert';
import { LogHistogram } from '../../../../collector/model/histogram';
import { compareBeforeAfter, compareWithPrevious, type RevisionSamples } from '../../../../collector/git/beforeAfter';

function samples(revision: string, latencies: number[], errors: number): RevisionSamples {
  const h = new LogHistogram();
  for (const l of latencies) h.add(l);
  return { revision, latency: h, calls: latencies.length, errors };
}
// 200 calls around 20 ms with a tail to 40 ms; "slow" is the same shape ×4.
const base = Array.from({ length: 200 }, (_, i) => 20 + (i % 20) + (i % 50 === 0 ? 20 : 0));
const slow = base.map((x) => x * 4);
const SHA = 'abc1234def5678900000000000000000000000ff';

describe('before/after per change', () => {
  it('reports the p95 and p50 ratios of the new revision over the old', () => {
    const r = compareBeforeAfter(samples('old', base, 0), samples(SHA, slow, 0), { note: '(AI diff)' });
    assert.equal(r.status, 'ok');
    assert.ok(Math.abs(r.p95Ratio! - 4) < 0.1, `p95 ratio ${r.p95Ratio}`);
    assert.ok(Math.abs(r.p50Ratio! - 4) < 0.1, `p50 ratio ${r.p50Ratio}`);
    assert.equal(r.summary, 'p95 ↑ 4.0× (200 before / 200 after) since abc1234 (AI diff)');
  });

  it('reports the error-rate change and flags it when it is unlikely to be chance', () => {
    const r = compareBeforeAfter(samples('old', base, 2), samples('new', base, 30));
    assert.equal(r.before.errorRate, 0.01);
    assert.equal(r.after.errorRate, 0.15);
    assert.equal(r.errorRateDelta, 0.14);
    assert.ok(r.errorZ! > 2);
    assert.match(r.summary, /errors 1\.0% → 15\.0%/);
  });

  it('does not flag an error-rate wobble within noise', () => {
    const r = compareBeforeAfter(samples('old', base, 2), samples('new', base, 3));
    assert.ok(Math.abs(r.errorZ!) < 2);
    assert.doesNotMatch(r.summary, /errors/);
  });

  it('says "not enough data" below the minimum, with the counts', () => {
    const r = compareBeforeAfter(samples('old', base, 0), samples('new', base.slice(0, 5), 0));
    assert.equal(r.status, 'not-enough-data');
    assert.equal(r.p95Ratio, undefined);
    assert.deepEqual(r.reasons, ['5 calls since new (need 20)']);
    assert.equal(r.after.calls, 5);
  });

  it('grows confidence with the smaller side\'s sample count', () => {
    const few = compareBeforeAfter(samples('a', base.slice(0, 20), 0), samples('b', base, 0));
    const many = compareBeforeAfter(samples('a', base, 0), samples('b', base, 0));
    assert.equal(few.confidence, 0.5);
    assert.ok(many.confidence > 0.9);
  });

  it('compares a revision with the one before it, merging that revision\'s samples', () => {
    const all = [samples('v1', base.slice(0, 100), 0), samples('v1', base.slice(100), 0), samples('v0', slow, 0), samples('v2', slow, 0)];
    const r = compareWithPrevious(all, 'v2', 'v1');
    assert.equal(r.before.calls, 200);
    assert.ok(r.p95Ratio! > 3.5);
  });
});
