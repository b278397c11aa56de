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
