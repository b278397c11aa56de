import { strict as assert } from 'node:assert';
import type { AiDiffView } from '../../../../collector/git/types';
import { rankAiDiffs } from '../../../../extension/views/rank';

const d = (id: string, o: Partial<AiDiffView>): AiDiffView => ({ id, source: 'trailer', files: [], timeMs: 0, confirmedBy: 'x', state: 'confirmed', ...o });

describe('rankAiDiffs', () => {
  it('orders by risk score, scored before unscored, newest first among equals, without dismissed', () => {
    const out = rankAiDiffs([
      d('low', { risk: { score: 1, reasons: [] } }),
      d('none-new', { timeMs: 9 }),
      d('high', { risk: { score: 8, reasons: [] } }),
      d('none-old', { timeMs: 1 }),
      d('gone', { risk: { score: 99, reasons: [] }, state: 'dismissed' }),
    ]);
    assert.deepEqual(out.map((x) => x.id), ['high', 'low', 'none-new', 'none-old']);
  });
});

describe('rankAiDiffs with production figures (team mode)', () => {
  const sha = (c: string) => c.repeat(40);
  it('ranks by production risk first, matched by commit, then by local risk', () => {
    const production = new Map([
      [sha('a'), { commit: sha('a'), calls: 900, errors: 300, risk: { score: 9, reasons: ['errors 33 %'] } }],
      [sha('b'), { commit: sha('b'), calls: 900, errors: 0, risk: { score: 2, reasons: [] } }],
    ]);
    const out = rankAiDiffs([
      d('local-hot', { risk: { score: 8, reasons: [] } }),
      d('prod-calm', { commit: sha('b'), risk: { score: 1, reasons: [] } }),
      d('prod-hot', { commit: sha('a'), risk: { score: 0, reasons: [] } }),
      d('editor', { risk: { score: 5, reasons: [] } }),
    ], production);
    assert.deepEqual(out.map((x) => x.id), ['prod-hot', 'prod-calm', 'local-hot', 'editor']);
    // Without production figures the local order stands.
    assert.deepEqual(rankAiDiffs(out).map((x) => x.id), ['local-hot', 'editor', 'prod-calm', 'prod-hot']);
  });
});
