import { strict as assert } from 'node:assert';
import { rankRisks, scoreRisk, type RiskInput } from '../../../../collector/git/risk';

const quiet: RiskInput = { id: 'quiet', errorsInRanges: 0, callsInRanges: 500, slowQueries: 0, nPlusOnes: 0, observed: { lines: 10, total: 10 } };

describe('runtime risk per AI diff', () => {
  it('scores observed, error-free code at zero and says on how many calls', () => {
    assert.deepEqual(scoreRisk(quiet), { score: 0, reasons: ['no runtime problems seen in 500 calls'] });
  });

  it('treats AI code never seen running as a risk of its own', () => {
    const r = scoreRisk({ ...quiet, observed: false });
    assert.equal(r.score, 15);
    assert.deepEqual(r.reasons, ['its functions were never seen running: unverified AI code']);
  });

  it('gives a diff of no code (a README) no runtime risk, not "unverified"', () => {
    assert.deepEqual(scoreRisk({ ...quiet, callsInRanges: undefined, observed: false, isCode: false }), { score: 0, reasons: ['not code: nothing to run'] });
  });

  it('spells out every contribution, largest first', () => {
    const r = scoreRisk({ id: 'x', errorsInRanges: 25, callsInRanges: 500, latencyChange: { status: 'ok', p95Ratio: 4, confidence: 1 }, slowQueries: 1, nPlusOnes: 1, observed: true });
    assert.deepEqual(r.reasons, ['25 errors in its functions since it shipped (5.0% of 500 calls)', 'p95 ↑ 4.0× since it shipped (confidence 1.00)', '1 N+1 query pattern issued from it', '1 slow query issued from it']);
    assert.equal(r.score, 40 + 40 + 12 + 8);
  });

  it('scales a regression by its confidence', () => {
    assert.equal(scoreRisk({ ...quiet, latencyChange: { status: 'ok', p95Ratio: 4, confidence: 0.5 } }).score, 20);
  });

  it('ranks a 5× regression without errors far above an untouched README', () => {
    const slow = scoreRisk({ ...quiet, latencyChange: { status: 'ok', p95Ratio: 5, confidence: 0.95 } });
    const readme = scoreRisk({ ...quiet, id: 'readme', callsInRanges: undefined, observed: false, isCode: false });
    assert.ok(slow.score >= 35 && slow.score - readme.score >= 35, `${slow.score} vs ${readme.score}`);
  });

  it('says "not enough data" instead of "no runtime problems" below the threshold', () => {
    const r = scoreRisk({ ...quiet, latencyChange: { status: 'not-enough-data', p95Ratio: 9, before: { calls: 19 }, after: { calls: 19 } } });
    assert.equal(r.score, 5);
    assert.deepEqual(r.reasons, ['not enough data yet (19 before / 19 after)']);
  });

  it('caps the score at 100', () => {
    assert.equal(scoreRisk({ id: 'x', errorsInRanges: 900, callsInRanges: 1000, latencyChange: { status: 'ok', p95Ratio: 50 }, slowQueries: 9, nPlusOnes: 9, observed: { lines: 1, total: 100 } }).score, 100);
  });

  it('ranks diffs by score, highest first', () => {
    const ranked = rankRisks([quiet, { ...quiet, id: 'unseen', observed: false }, { ...quiet, id: 'n+1', nPlusOnes: 2 }]);
    assert.deepEqual(ranked.map((r) => [r.id, r.score]), [['n+1', 24], ['unseen', 15], ['quiet', 0]]);
  });
});
