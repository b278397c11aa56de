import { strict as assert } from 'node:assert';
import { rankRisks, scoreRisk, type RiskInput } from '../../../../collector/git/risk';

const quiet: RiskInput = { id: 'quiet', errorsInRanges: 0, callsInRanges: 500, slowQueries: 0, nPlusOnes: 0, observed: { lines: 10, total: 10 } };

describe('runtime risk per AI diff', () => {
  it('scores observed, error-free code at zero and says so', () => {
    assert.deepEqual(scoreRisk(quiet), { score: 0, reasons: ['no runtime problems seen'] });
  });

  it('treats AI code never seen running as a risk of its own', () => {
    const r = scoreRisk({ ...quiet, observed: false });
    assert.equal(r.score, 20);
    assert.deepEqual(r.reasons, ['never seen running in telemetry: unverified AI code']);
  });

  it('spells out every contribution, largest first', () => {
    const r = scoreRisk({ id: 'x', errorsInRanges: 25, callsInRanges: 500, latencyChange: { status: 'ok', p95Ratio: 4 }, slowQueries: 1, nPlusOnes: 1, observed: true });
    assert.deepEqual(r.reasons, ['25 errors in its lines (5.0% of 500 calls)', 'p95 ↑ 4.0× since it shipped', '1 N+1 query pattern', '1 slow query']);
    assert.equal(r.score, 40 + 25 + 12 + 8);
  });

  it('ignores a latency change that has not enough data', () => {
    assert.equal(scoreRisk({ ...quiet, latencyChange: { status: 'not-enough-data', p95Ratio: 9 } }).score, 0);
  });

  it('caps the score at 100', () => {
    assert.equal(scoreRisk({ id: 'x', errorsInRanges: 900, callsInRanges: 1000, latencyChange: { status: 'ok', p95Ratio: 50 }, slowQueries: 9, nPlusOnes: 9, observed: { lines: 1, total: 100 } }).score, 100);
  });

  it('ranks diffs by score, highest first', () => {
    const ranked = rankRisks([quiet, { ...quiet, id: 'unseen', observed: false }, { ...quiet, id: 'n+1', nPlusOnes: 2 }]);
    assert.deepEqual(ranked.map((r) => [r.id, r.score]), [['n+1', 24], ['unseen', 20], ['quiet', 0]]);
  });
});
