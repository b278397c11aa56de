import { strict as assert } from 'node:assert';
import { repoAiDiffsOf } from '../../../../collector/git/repoSummary';
import type { AiDiffView } from '../../../../collector/git/types';

const view = (id: string, o: Partial<AiDiffView>): AiDiffView => ({ id, source: 'trailer', files: [{ path: 'src/app.js', ranges: [{ start: 1, end: 9, hash: 'h' }] }], timeMs: 0, confirmedBy: 'x', state: 'confirmed', ...o });

describe('repoAiDiffsOf (what a team collector tells teammates about AI diffs)', () => {
  it('keeps commit-anchored diffs that are not dismissed, with their production figures and no paths', () => {
    const sha = 'c'.repeat(40);
    const out = repoAiDiffsOf([
      view('commit', { commit: sha, tool: 'Claude', subject: 'faster checkout', risk: { score: 6, reasons: ['p95 ↑'] }, runtime: { calls: 40, errors: 2, observedLines: 3, totalLines: 9, slowQueries: 0, nPlusOnes: 0, p95Ratio: 4, beforeAfter: 'checkout(): p95 ↑ 4.0×' } }),
      view('editor', { source: 'editor' }),
      view('short', { commit: 'abc1234' }),
      view('dismissed', { commit: 'd'.repeat(40), state: 'dismissed' }),
    ]);
    assert.deepEqual(out, [{ commit: sha, subject: 'faster checkout', tool: 'Claude', risk: { score: 6, reasons: ['p95 ↑'] }, calls: 40, errors: 2, p95Ratio: 4, beforeAfter: 'checkout(): p95 ↑ 4.0×' }]);
  });

  it('gives an unmeasured diff zero calls', () => {
    assert.deepEqual(repoAiDiffsOf([view('x', { commit: 'e'.repeat(40) })]), [{ commit: 'e'.repeat(40), calls: 0, errors: 0 }]);
  });
});
