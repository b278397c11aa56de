import { strict as assert } from 'node:assert';
import { MemoryState } from '../../../../collector/git/aiDiffService';
import { AiDiffLedger } from '../../../../collector/git/ledger';

describe('AI-diff ledger', () => {
  const make = (state = new MemoryState()) => new AiDiffLedger(state, 'k', (p) => p.replace(/^\/ws\//, ''), () => 1000);

  it('records an editor capture as suspected until confirmed', async () => {
    const l = make();
    const d = await l.recordSuspected({ file: '/ws/a.ts', startLine: 3, endLine: 6, text: 'a\nb\nc\nd\n' });
    assert.equal(d.state, 'suspected');
    assert.equal(d.source, 'editor');
    assert.deepEqual(d.files, [{ path: 'a.ts', ranges: [{ start: 3, end: 6, hash: d.files[0].ranges[0].hash }] }]);
    assert.equal((await l.confirm(d.id)).state, 'confirmed');
  });

  it('hides dismissed diffs from line lookups but keeps them', async () => {
    const l = make();
    const d = await l.recordSuspected({ file: 'a.ts', startLine: 1, endLine: 2, text: 'a\nb\n' });
    assert.equal(l.at('a.ts', 2).length, 1);
    await l.dismiss(d.id);
    assert.equal(l.at('a.ts', 2).length, 0);
    assert.equal(l.get(d.id)!.state, 'dismissed');
  });

  it('persists through the state interface', async () => {
    const state = new MemoryState();
    const d = await make(state).mark({ file: 'a.ts', startLine: 1, endLine: 1, text: 'x\n' });
    const again = make(state);
    await again.load();
    assert.deepEqual(again.get(d.id), d);
  });

  it('unmarks part of a range by splitting it, and dismisses a diff left with no lines', async () => {
    const l = make();
    const big = await l.mark({ file: 'a.ts', startLine: 1, endLine: 10, text: 'x\n'.repeat(10) });
    const small = await l.mark({ file: 'a.ts', startLine: 20, endLine: 21, text: 'y\ny\n' });
    await l.unmark('a.ts', 4, 5);
    assert.deepEqual(l.get(big.id)!.files[0].ranges.map((r) => [r.start, r.end]), [[1, 3], [6, 10]]);
    await l.unmark('a.ts', 19, 30);
    assert.equal(l.get(small.id)!.state, 'dismissed');
  });

  it('keeps the user decision when a source re-reports the same diff', async () => {
    const l = make();
    const d = await l.recordSuspected({ file: 'a.ts', startLine: 1, endLine: 2, text: 'a\nb\n' });
    await l.dismiss(d.id);
    l.put({ ...d, state: 'confirmed', confirmedBy: 'scan' });
    assert.equal(l.get(d.id)!.state, 'dismissed');
  });

  it('follows editor edits for live ranges', async () => {
    const l = make();
    const d = await l.mark({ file: 'a.ts', startLine: 2, endLine: 3, text: 'b\nc\n' });
    await l.applyEdit('a.ts', 'a\nb\nc\nd\n', 'new\na\nb\nc\nd\n');
    assert.deepEqual(l.get(d.id)!.files[0].ranges.map((r) => [r.start, r.end]), [[3, 4]]);
  });

  it('exports JSON lines that import to the same ledger', async () => {
    const l = make();
    await l.mark({ file: 'a.ts', startLine: 1, endLine: 1, text: 'x\n' });
    await l.recordSuspected({ file: 'b.ts', startLine: 2, endLine: 4, text: 'p\nq\nr\n' });
    const other = make();
    assert.equal(await other.importJsonl(l.exportJsonl()), 2);
    assert.deepEqual(other.list(), l.list());
  });

  it('rejects a malformed JSON line with its line number and imports nothing', async () => {
    const l = make();
    const good = JSON.stringify({ id: 'm:1', source: 'manual', files: [], timeMs: 1, confirmedBy: 'user', state: 'confirmed' });
    await assert.rejects(l.importJsonl(`${good}\n{"id":2}\n`), /line 2: not an AI diff/);
    assert.equal(l.list().length, 0);
  });
});
