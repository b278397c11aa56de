import { strict as assert } from 'node:assert';
import { parseStackTrace } from '../../../../../collector/source/stackTrace';
import { corpusTrace } from './corpusFixture';

describe('JavaScript stacks: Node error properties and causes', () => {
  it('parses a frame followed by ` {` (error properties) like any other frame', () => {
    const r = parseStackTrace(corpusTrace('node-nana-enoent-props'));
    const last = r.frames[r.frames.length - 1];
    assert.deepEqual([last.file, last.line, last.column], ['internal/main/run_main_module.js', 17, 47]);
    assert.equal(r.frames.length, 9);
  });

  it('keeps `[cause]:` printed among the properties as a cause with its own frames', () => {
    const r = parseStackTrace(corpusTrace('node-undici-46049-cause-timeout'));
    assert.equal(r.type, 'TypeError');
    assert.equal(r.frames.length, 2);
    assert.equal(r.causes?.length, 1);
    assert.equal(r.causes?.[0].type, 'ConnectTimeoutError');
    assert.deepEqual(r.causes?.[0].frames.map((f) => f.function), ['onConnectTimeout', undefined, 'Immediate._onImmediate', 'process.processImmediate']);
  });

  it('keeps an AggregateError cause and each of its `[errors]`, in printed order', () => {
    const r = parseStackTrace(corpusTrace('node-twitter-aggregate-cause'));
    assert.deepEqual([r.type, ...(r.causes ?? []).map((c) => `${c.type}: ${c.message}`)],
      ['TypeError', 'AggregateError: ', 'Error: connect ECONNREFUSED 0.0.0.0:443', 'Error: connect ECONNREFUSED :::443']);
    assert.ok(r.causes!.every((c) => c.frames.length === 2));
  });

  it('reads a `cause:` without brackets (Node 18 REPL) and the type behind `Uncaught`', () => {
    const r = parseStackTrace(corpusTrace('node-undici-cause-repl'));
    assert.deepEqual([r.type, r.message], ['TypeError', 'fetch failed']);
    assert.equal(r.causes?.[0].message, 'Socket connection timeout');
  });

  it('reads the type behind `(node:43) ` and behind a label logged before err.stack', () => {
    assert.equal(parseStackTrace(corpusTrace('node-opn-internal-child-process')).type, 'Error');
    const r = parseStackTrace(corpusTrace('node-mysql-long-stack-separator'));
    assert.deepEqual([r.type, r.message], ['Error', 'connect ECONNREFUSED']);
  });
});

describe('JavaScript stacks: old Node internals', () => {
  it('detects Node and marks module.js, bootstrap_node.js and node.js as not in-app', () => {
    for (const name of ['node-npm-bootstrap-node', 'node-angular-fullstack-nodejs']) {
      const r = parseStackTrace(corpusTrace(name));
      assert.equal(r.runtime, 'node', name);
      assert.ok(r.frames.every((f) => !f.inApp), name);
    }
  });

  it('marks events.js and net.js as not in-app but keeps the absolute app file in-app', () => {
    const r = parseStackTrace(corpusTrace('node-mysql-long-stack-separator'));
    assert.deepEqual(r.frames.filter((f) => f.inApp).map((f) => f.file), ['/Users/wellingguzman/GitHub/Beers/beers/server.js']);
  });

  it('treats REPL input as the runtime\'s, as Sentry\'s Node SDK does', () => {
    const r = parseStackTrace(corpusTrace('node-undici-cause-repl'));
    assert.deepEqual([r.frames[2].file, r.frames[2].inApp], ['REPL3', false]);
  });
});

describe('JavaScript stacks: browser console copies', () => {
  it('parses Firefox console frames without `@`, webpack `?:line` and async-cause prefixes', () => {
    const r = parseStackTrace(corpusTrace('firefox-ic10emu-console'));
    assert.equal(r.runtime, 'browser');
    assert.equal(r.type, 'TypeError');
    assert.equal(r.frames.length, 17);
    assert.deepEqual(r.frames[0], { file: 'webpack://ic10emu/./src/js/virtual_machine/index.js', line: 243, column: undefined, function: 'update', inApp: true });
    assert.equal(r.frames[6].function, 'docReady');
    assert.equal(r.frames[12].function, undefined);
  });

  it('parses `self-hosted` frames in both Firefox forms as not in-app', () => {
    const r = parseStackTrace('TypeError: x is undefined\nrun@https://app.example/main.js:10:5\nforEach@self-hosted:203:13\n@https://app.example/main.js:20:1');
    assert.deepEqual(r.frames.map((f) => [f.file, f.line, f.function, f.inApp]), [
      ['https://app.example/main.js', 10, 'run', true], ['self-hosted', 203, 'forEach', false], ['https://app.example/main.js', 20, undefined, true]]);
    const c = parseStackTrace('Uncaught TypeError: x is undefined\n    run https://app.example/main.js:10\n    forEach self-hosted:203\n');
    assert.deepEqual(c.frames.map((f) => [f.file, f.inApp]), [['https://app.example/main.js', true], ['self-hosted', false]]);
  });

  it('drops the `:undefined` column old Firefox printed', () => {
    const r = parseStackTrace(corpusTrace('firefox-alwaysright-async-markers'));
    assert.deepEqual([r.frames[0].file, r.frames[0].line, r.frames[0].column], ['resource://jid0-szimol45ib8oddgoubg0buqmjec-at-jetpack/lib/main.js', 17, undefined]);
    assert.equal(r.frames[5].function, 'this.PromiseWalker.scheduleWalkerLoop');
  });

  it('parses Chrome console call stacks (`fn @ url:line`)', () => {
    const r = parseStackTrace(corpusTrace('chrome-devtools-console-vendor'));
    assert.equal(r.frames.length, 14);
    assert.deepEqual([r.frames[2].function, r.frames[2].line], [undefined, 46208]);
  });

  it('reads the type behind a console source link (`framework-….js:1 TypeError: …`)', () => {
    const r = parseStackTrace(corpusTrace('chrome-homepage-framework-chunk'));
    assert.deepEqual([r.type, r.message], ['TypeError', "Cannot read properties of undefined (reading 'code')"]);
  });

  it('takes the last script of a loader chain (`a.jsm -> b.js:1:2`) and drops a label before the name', () => {
    const r = parseStackTrace(corpusTrace('firefox-valence-loader-arrow'));
    assert.equal(r.type, 'TypeError');
    assert.deepEqual(r.frames.map((f) => [f.function, f.file, f.line]), [
      ['SP_writeAsErrorComment', 'chrome://browser/content/devtools/scratchpad.js', 924],
      ['SP_display/<', 'chrome://browser/content/devtools/scratchpad.js', 610],
      ['Handler.prototype.process', 'resource://gre/modules/Promise-backend.js', 865],
      ['this.PromiseWalker.walkerLoop', 'resource://gre/modules/Promise-backend.js', 744]]);
  });

  it('reads `about:` pages in Firefox console frames as the browser\'s', () => {
    const r = parseStackTrace(corpusTrace('firefox-quickfolders-console-about'));
    assert.equal(r.runtime, 'browser');
    assert.deepEqual([r.frames[2].file, r.frames[2].line, r.frames[2].inApp], ['about:3pane', 1, false]);
  });

  it('reads a first frame behind a label (`Call stack: at …`) and keeps `Error: at least …` a header', () => {
    const r = parseStackTrace(corpusTrace('chrome-react-devtools-call-stack-label'));
    assert.equal(r.frames.length, 10);
    assert.equal(r.frames[0].function, 'n.value');
    const h = parseStackTrace('TypeError: at least one argument required\n    at f (/app/a.js:1:2)');
    assert.deepEqual([h.type, h.message, h.frames.length], ['TypeError', 'at least one argument required', 1]);
  });

  it('reads Safari Web Inspector console frames, native names inside the run, and a label before the type', () => {
    const r = parseStackTrace(corpusTrace('safari-cyp-web-inspector-console'));
    assert.deepEqual([r.runtime, r.type], ['browser', 'TypeError']);
    assert.deepEqual(r.frames.map((f) => [f.file, f.line, f.function, f.inApp]), [['search.js', 9, 'Search', true], ['library.js', 109, 'init', true],
      ['app.js', 58, undefined, true], [undefined, undefined, 'asyncFunctionResume', false], [undefined, undefined, undefined, false], [undefined, undefined, 'promiseReactionJob', false]]);
  });

  it('reads Safari\'s `[TypeError] msg`, a console link before a label, and Sentry\'s `None` / `[native code]`', () => {
    assert.equal(parseStackTrace(corpusTrace('safari-respec-native-code')).type, 'TypeError');
    const b = parseStackTrace(corpusTrace('chrome-bluebird-from-previous-event'));
    assert.deepEqual([b.type, b.message, b.frames.length], ['Error', 'NSBridge timed out', 4]);
    const s = parseStackTrace(corpusTrace('safari-universitas-sentry-text'));
    assert.deepEqual(s.frames.map((f) => [f.file, f.function]), [['./src/common/services/api.js', undefined], [undefined, 'promiseReactionJob']]);
  });
});
