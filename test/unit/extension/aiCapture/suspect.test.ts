import { strict as assert } from 'node:assert';
import { insertedRange, isSuspectedAiInsertion, type ChangeFacts } from '../../../../extension/aiCapture/suspect';

const BLOCK = 'function total(items) {\n  let t = 0;\n  for (const i of items) t += i.price;\n  return t;\n}\n';
const facts = (o: Partial<ChangeFacts> = {}): ChangeFacts => ({ changeCount: 1, text: BLOCK, replacedLines: 0, isUndoRedo: false, clipboard: 'something else', minLines: 3, ...o });

describe('suspected AI edit detection', () => {
  it('flags one change inserting several lines that is not the clipboard', () => {
    assert.equal(isSuspectedAiInsertion(facts()), true);
  });
  it('does not flag a paste of the clipboard (line endings and surrounding blanks ignored)', () => {
    assert.equal(isSuspectedAiInsertion(facts({ clipboard: BLOCK.replace(/\n/g, '\r\n').trim() })), false);
  });
  it('does not flag typing, short inserts, undo/redo, multi-cursor edits or reformatting', () => {
    assert.equal(isSuspectedAiInsertion(facts({ text: 'x' })), false);
    assert.equal(isSuspectedAiInsertion(facts({ text: 'a\nb\n' })), false);
    assert.equal(isSuspectedAiInsertion(facts({ isUndoRedo: true })), false);
    assert.equal(isSuspectedAiInsertion(facts({ changeCount: 2 })), false);
    assert.equal(isSuspectedAiInsertion(facts({ replacedLines: 30 })), false);
  });
  it('computes the 1-based lines an insertion occupies', () => {
    assert.deepEqual(insertedRange(9, 0, BLOCK), { start: 10, end: 14 });
    assert.deepEqual(insertedRange(9, 5, '\n' + BLOCK.trimEnd()), { start: 11, end: 15 });
  });
});
