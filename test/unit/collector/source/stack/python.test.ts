import { strict as assert } from 'node:assert';
import { parseStackTrace } from '../../../../../collector/source/stackTrace';
import { corpusTrace } from './corpusFixture';

describe('Python tracebacks', () => {
  it('keeps every exception of a "During handling" chain, the last printed one primary', () => {
    const r = parseStackTrace(corpusTrace('python-web3-chained-frozen'));
    assert.equal(r.type, 'urllib3.exceptions.NewConnectionError');
    assert.deepEqual(r.frames.map((f) => f.line), [186, 358, 1010, 382, 699]);
    assert.deepEqual(r.causes?.map((c) => c.type), ['ConnectionRefusedError']);
    assert.deepEqual(r.causes?.[0].frames.map((f) => f.line), [86, 96, 174]);
  });

  it('orders a three-exception chain nearest cause first ("direct cause" and "During handling")', () => {
    const text = [
      'Traceback (most recent call last):', '  File "/app/a.py", line 1, in a', 'KeyError: 1', '',
      'The above exception was the direct cause of the following exception:', '',
      'Traceback (most recent call last):', '  File "/app/b.py", line 2, in b', 'LookupError: 2', '',
      'During handling of the above exception, another exception occurred:', '',
      'Traceback (most recent call last):', '  File "/app/c.py", line 3, in c', 'RuntimeError: 3',
    ].join('\n');
    const r = parseStackTrace(text);
    assert.deepEqual([r.type, ...(r.causes ?? []).map((c) => c.type)], ['RuntimeError', 'LookupError', 'KeyError']);
    assert.deepEqual([r.frames[0].file, r.causes?.[1].frames[0].file], ['/app/c.py', '/app/a.py']);
  });

  it('reads the exception line of a traceback quoted with an indent', () => {
    const r = parseStackTrace(corpusTrace('python-cellprofiler-frozen-encodings'));
    assert.equal(r.type, 'UnicodeDecodeError');
    assert.equal(r.frames.length, 3);
  });

  it('marks the standard library, encodings and console-script stubs as not in-app', () => {
    const stdlib = parseStackTrace(corpusTrace('python-siatl-usr-lib-http')).frames.filter((f) => f.file?.startsWith('/usr/lib/python3.6/'));
    assert.equal(stdlib.length, 5);
    assert.ok(stdlib.every((f) => !f.inApp));
    assert.equal(parseStackTrace(corpusTrace('python-sans-index-encodings')).frames[0].inApp, false);
    const stub = parseStackTrace(corpusTrace('python-direct-conda-entrypoint'));
    assert.deepEqual(stub.frames.map((f) => f.inApp), [false, false, false]);
  });

  it('keeps a "direct cause" chain typed by the raised exception and treats `<stdin>` as no app file', () => {
    const r = parseStackTrace(corpusTrace('python-adafruit-direct-cause-stdin'));
    assert.deepEqual([r.type, r.causes?.[0].type], ['RuntimeError', 'ConnectionRefusedError']);
    assert.deepEqual(r.frames.map((f) => f.inApp), [true, true, true, false]);
  });

  it('reads a traceback behind docker compose\'s `service | ` prefix', () => {
    const r = parseStackTrace(corpusTrace('python-dify-compose-prefix-carets'));
    assert.equal(r.runtime, 'python');
    assert.deepEqual(r.frames.map((f) => f.line), [803, 1126, 1096, 569]);
    assert.equal(r.frames[0].file, '/app/api/.venv/lib/python3.12/site-packages/sqlalchemy/orm/state.py');
  });

  it('reads a traceback behind a prefix of words every line shares (kubectl logs --prefix)', () => {
    const r = parseStackTrace(corpusTrace('python-ciso-kubectl-prefix'));
    assert.deepEqual(r.frames.map((f) => [f.line, f.function]), [[55, 'inner'], [129, '__call__'], [55, 'inner'], [129, '__call__']]);
  });
});
