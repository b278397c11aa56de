// Telling "this collector has no such method" (show nothing) from "no such id" (a real
// answer the user must see): a stale AI-diff id must not read as an old collector.
import { strict as assert } from 'node:assert';
import { LiveRequestError } from '../../../../collector/live/client';
import { isUnknownMethod } from '../../../../extension/client/editorQueries';

describe('isUnknownMethod', () => {
  it('is true for unknown_method, and for the not_found + "unknown method" of older collectors', () => {
    assert.equal(isUnknownMethod(new LiveRequestError('unknown_method', 'unknown method "aiDiffEdit"')), true);
    assert.equal(isUnknownMethod(new LiveRequestError('not_found', 'unknown method "aiDiffEdit"')), true);
  });

  it('is false for an unknown id and for other failures', () => {
    assert.equal(isUnknownMethod(new LiveRequestError('not_found', 'no AI diff ai-123 in /w')), false);
    assert.equal(isUnknownMethod(new LiveRequestError('internal', 'no handler for this')), false);
    assert.equal(isUnknownMethod(new Error('socket hang up')), false);
  });
});
