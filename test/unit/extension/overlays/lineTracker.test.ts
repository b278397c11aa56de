import { strict as assert } from 'node:assert';
import { LineTracker, mapThrough, type LineChange } from '../../../../extension/overlays/lineTracker';

const insertLinesAt = (line: number, n: number): LineChange => ({ startLine: line, startChar: 0, endLine: line, endChar: 0, insertedLines: n, endsWithNewline: true });

describe('LineTracker', () => {
  it('moves lines below an insertion of whole lines down by the number inserted', () => {
    const t = new LineTracker();
    t.record(insertLinesAt(3, 2));
    assert.deepEqual([0, 2, 3, 4, 10].map((l) => t.map(l)), [0, 2, 5, 6, 12]);
  });

  it('moves lines below a deletion up and reports deleted lines as gone', () => {
    // Delete lines 2..4 (0-based), i.e. the range (2,0)-(5,0).
    const c: LineChange = { startLine: 2, startChar: 0, endLine: 5, endChar: 0, insertedLines: 0, endsWithNewline: false };
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((l) => mapThrough(l, c)), [1, undefined, undefined, undefined, 2, 6]);
  });

  it('keeps a line edited in place where it is', () => {
    const c: LineChange = { startLine: 4, startChar: 8, endLine: 4, endChar: 12, insertedLines: 1, endsWithNewline: false };
    assert.equal(mapThrough(4, c), 4);
    assert.equal(mapThrough(5, c), 6);
  });

  it('composes successive edits in order', () => {
    const t = new LineTracker();
    t.record(insertLinesAt(0, 3));
    t.record({ startLine: 1, startChar: 0, endLine: 2, endChar: 0, insertedLines: 0, endsWithNewline: false });
    assert.equal(t.map(5), 7);
  });

  it('ignores typing within a line and is the identity after reset', () => {
    const t = new LineTracker();
    t.record({ startLine: 2, startChar: 1, endLine: 2, endChar: 1, insertedLines: 0, endsWithNewline: false });
    assert.equal(t.isIdentity, true);
    t.record(insertLinesAt(0, 1));
    t.reset();
    assert.equal(t.map(7), 7);
  });
});
