import { strict as assert } from 'node:assert';
import { parseStackTrace } from '../../../../../collector/source/stackTrace';
import { corpusTrace } from './corpusFixture';

describe('Go panics and fatal errors', () => {
  it('reads locations followed by fp= sp= pc= (fatal error dumps)', () => {
    const r = parseStackTrace(corpusTrace('go-ibenchmark-fatal-fp-sp'));
    assert.deepEqual([r.type, r.message], ['fatal error', 'concurrent map writes']);
    assert.deepEqual(r.frames.map((f) => f.line), [605, 685, 142, 2337, 207]);
    assert.deepEqual(r.frames.filter((f) => f.inApp).map((f) => f.function), ['main.handle_request', 'created by main.worker']);
  });

  it('marks the module cache (`@v0.0.0-…/`) and a Windows GOROOT as not in-app', () => {
    const r = parseStackTrace(corpusTrace('go-grtm-windows-module-cache'));
    assert.equal(r.frames.length, 5);
    assert.ok(r.frames.every((f) => !f.inApp));
  });
});
