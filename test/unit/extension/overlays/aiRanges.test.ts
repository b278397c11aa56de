import { strict as assert } from 'node:assert';
import type { AiDiffsResult, AiDiffView } from '../../../../collector/git/types';
import { indexRanges } from '../../../../extension/overlays/aiRanges';

const diff = (id: string, o: Partial<AiDiffView>): AiDiffView => ({ id, source: 'trailer', tool: 'Claude', files: [], timeMs: 1, confirmedBy: 'Co-authored-by: Claude', state: 'confirmed', ...o });

describe('indexRanges', () => {
  it('makes repository-relative paths absolute under the root and carries the runtime ratio', () => {
    const r: AiDiffsResult = { workspace: '/ws/app', root: '/ws', from: 'collector', diffs: [diff('d1', { commit: 'abc1234', files: [{ path: 'app/src/a.ts', ranges: [{ start: 3, end: 9, hash: 'h' }] }], runtime: { calls: 10, errors: 0, observedLines: 2, totalLines: 7, slowQueries: 0, nPlusOnes: 0, p95Ratio: 4.1 } })] };
    const m = indexRanges([r]);
    assert.deepEqual([...m.keys()], ['/ws/app/src/a.ts']);
    const [x] = m.get('/ws/app/src/a.ts')!;
    assert.deepEqual([x.diffId, x.start, x.end, x.commit, x.p95Ratio, x.tool], ['d1', 3, 9, 'abc1234', 4.1, 'Claude']);
  });

  it('leaves dismissed diffs out and keeps suspected ones (marked as such)', () => {
    const r: AiDiffsResult = { workspace: '/ws', from: 'git', diffs: [
      diff('gone', { state: 'dismissed', files: [{ path: 'a.ts', ranges: [{ start: 1, end: 2, hash: 'h' }] }] }),
      diff('maybe', { state: 'suspected', source: 'editor', files: [{ path: 'a.ts', ranges: [{ start: 5, end: 8, hash: 'h' }] }] }),
    ] };
    assert.deepEqual(indexRanges([r]).get('/ws/a.ts')!.map((x) => [x.diffId, x.state]), [['maybe', 'suspected']]);
  });
});
