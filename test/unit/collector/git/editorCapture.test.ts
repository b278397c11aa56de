import { strict as assert } from 'node:assert';
import { classifyInsertion } from '../../../../collector/git/editorCapture';

const block = 'const rows = await db.all();\nfor (const r of rows) {\n  await db.items(r.id);\n}\n';

describe('editor capture', () => {
  it('suspects one change inserting several lines that are not the clipboard', () => {
    assert.deepEqual(classifyInsertion({ insertedText: block, replacedText: '', clipboardText: 'something else', changeCount: 1 }), { suspected: true, lines: 4 });
  });

  it('does not suspect a paste (the clipboard holds the inserted text)', () => {
    assert.deepEqual(classifyInsertion({ insertedText: block, replacedText: '', clipboardText: block.replace(/\n/g, '\r\n'), changeCount: 1 }), { suspected: false, why: 'paste' });
  });

  it('does not suspect typing, undo/redo or multi-cursor edits', () => {
    assert.equal(classifyInsertion({ insertedText: 'x', replacedText: '', changeCount: 1 }).suspected, false);
    assert.equal(classifyInsertion({ insertedText: block, replacedText: '', changeCount: 1, undoRedo: true }).suspected, false);
    assert.equal(classifyInsertion({ insertedText: block, replacedText: '', changeCount: 3 }).suspected, false);
  });

  it('does not suspect text put back where it was', () => {
    assert.equal(classifyInsertion({ insertedText: block, replacedText: block, changeCount: 1 }).suspected, false);
  });
});
