import { strict as assert } from 'node:assert';
import { parseUnifiedAdded } from '../../../../collector/git/hunks';

const spans = (d: string) => parseUnifiedAdded(d).map((f) => [f.path, f.ranges.map((r) => [r.start, r.end])]);

describe('unified diff added ranges', () => {
  it('does not mistake added or removed lines that look like headers for file headers', () => {
    const diff = ['--- a/x.md', '+++ b/x.md', '@@ -1,2 +1,3 @@', '--- old rule', '+++ new rule', '+++ and another', ' keep', ''].join('\n');
    assert.deepEqual(spans(diff), [['x.md', [[1, 2]]]]);
  });

  it('splits runs at context lines and keeps runs across removed lines', () => {
    const diff = ['--- a/a.ts', '+++ b/a.ts', '@@ -1,4 +1,5 @@', ' a', '+b', '-c', '+c2', ' d', '+e', ' f', ''].join('\n');
    assert.deepEqual(spans(diff), [['a.ts', [[2, 3], [5, 5]]]]);
  });

  it('skips deleted files and "no newline" markers', () => {
    const diff = ['--- a/gone.ts', '+++ /dev/null', '@@ -1 +0,0 @@', '-x', '--- a/n.ts', '+++ b/n.ts', '@@ -1 +1 @@', '-x', '\\ No newline at end of file', '+y', '\\ No newline at end of file', ''].join('\n');
    assert.deepEqual(spans(diff), [['n.ts', [[1, 1]]]]);
  });
});
