import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseStackTrace } from '../../../../collector/source/stackTrace';
import type { Runtime } from '../../../../collector/source/types';

const FIXTURES = path.join(__dirname, 'fixtures');
const names = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, `${name}.txt`), 'utf8');
}

describe('parseStackTrace over real traces from public bug reports', () => {
  for (const name of names) {
    it(`parses ${name} to its reviewed expected output`, () => {
      const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8'));
      assert.deepEqual(JSON.parse(JSON.stringify(parseStackTrace(fixture(name)))), expected);
    });
  }

  it('has at least four real traces for every runtime, each detected as that runtime', () => {
    const byRuntime = new Map<Runtime, number>();
    for (const name of names) {
      const r = parseStackTrace(fixture(name)).runtime!;
      const prefix = name.split('-')[0];
      const expectedRuntime: Runtime = prefix === 'chrome' || prefix === 'firefox' || prefix === 'safari' ? 'browser' : (prefix as Runtime);
      assert.equal(r, expectedRuntime, name);
      byRuntime.set(r, (byRuntime.get(r) ?? 0) + 1);
    }
    for (const rt of ['node', 'browser', 'python', 'java', 'go', 'dotnet', 'ruby'] as Runtime[]) assert.ok((byRuntime.get(rt) ?? 0) >= 4, `${rt}: ${byRuntime.get(rt)}`);
    const gecko = names.filter((n) => n.startsWith('firefox') || n.startsWith('safari')).length;
    assert.ok(gecko >= 4, 'Firefox/Safari format has its own four');
  });

  it('returns every frame with the innermost (throw site) first for Python, whose tracebacks print it last', () => {
    const r = parseStackTrace(fixture('python-ledgerhelpers'));
    assert.equal(r.frames[0].function, 'print_last');
    assert.equal(r.frames[1].function, 'journal_load_failed');
  });

  it('keeps chained Python tracebacks as causes and the last one as the exception', () => {
    const r = parseStackTrace(fixture('python-arepl-chained'));
    assert.equal(r.type, 'NameError');
    assert.equal(r.causes?.length, 1);
    assert.equal(r.causes?.[0].type, 'Exception');
  });

  it('marks site-packages, node_modules, GOROOT, java.*, System.* and gem frames as not in-app', () => {
    const notApp = (name: string, pick: (f: { file?: string; function?: string }) => boolean) =>
      parseStackTrace(fixture(name)).frames.filter(pick).every((f) => !f.inApp);
    assert.ok(notApp('python-jedi-chained-windows', (f) => /site-packages/.test(f.file ?? '')));
    assert.ok(notApp('node-caolan-async', (f) => /node_modules/.test(f.file ?? '')));
    assert.ok(notApp('go-gaper-goroot', (f) => (f.file ?? '').startsWith('/usr/local/go/')));
    assert.ok(notApp('java-spring-npe', (f) => /^(?:java|sun)\./.test(f.function ?? '')));
    assert.ok(notApp('dotnet-mhrs-windows', (f) => /^System\./.test(f.function ?? '')));
    assert.ok(notApp('ruby-eefgilm-old', (f) => /\/gems\//.test(f.file ?? '')));
  });

  it('marks browser frames served from public CDNs as not in-app', () => {
    const r = parseStackTrace('TypeError: x\n    at n (https://cdn.jsdelivr.net/npm/chart.js@4/dist/chart.umd.js:1:200)\n    at draw (https://shop.example/assets/app.js:3:9)');
    assert.deepEqual(r.frames.map((f) => f.inApp), [false, true]);
  });

  it('follows Java Caused by: to the root cause, where the in-app frame is', () => {
    const r = parseStackTrace(fixture('java-okhttp-caused-by'));
    assert.equal(r.frames.filter((f) => f.inApp).length, 0);
    assert.equal(r.causes?.[0].type, 'java.lang.IllegalStateException');
    const app = r.causes![0].frames.find((f) => f.inApp)!;
    assert.equal(app.file, 'at/bitfire/dav4android/exception/HttpException.java');
    assert.equal(app.line, 87);
  });

  it('reads Ruby 3.4 quoting and labels (Class#method)', () => {
    const r = parseStackTrace(fixture('ruby-bootsnap-34-quoting'));
    assert.equal(r.frames[1].function, 'Kernel#require');
    assert.equal(r.frames[2].file, '/home/yahonda/src/github.com/rails/rails/actionpack/lib/action_controller.rb');
  });

  it('parses V8 async frames, `new`, and file:// ESM URLs on Windows', () => {
    const text = [
      'Error: boom',
      '    at new OrderService (file:///C:/shop/dist/orders.js:12:9)',
      '    at async Promise.all (index 0)',
      '    at async handler (file:///app/dist/server.mjs:40:3)',
    ].join('\n');
    const r = parseStackTrace(text);
    assert.equal(r.runtime, 'node');
    assert.deepEqual(r.frames[0], { file: 'C:/shop/dist/orders.js', line: 12, column: 9, function: 'new OrderService', inApp: true });
    assert.equal(r.frames[1].inApp, false);
    assert.deepEqual(r.frames[2], { file: '/app/dist/server.mjs', line: 40, column: 3, function: 'handler', inApp: true });
  });

  it('keeps a .NET file path that contains " in "', () => {
    const r = parseStackTrace('System.Exception: x\n   at Acme.Run(String s) in C:\\Work in progress\\Acme\\Run.cs:line 12');
    assert.deepEqual(r.frames[0], { inApp: true, file: 'C:\\Work in progress\\Acme\\Run.cs', line: 12, function: 'Acme.Run' });
  });

  it('uses the runtime hint instead of detection', () => {
    const r = parseStackTrace(fixture('node-nazuna'), 'python');
    assert.equal(r.runtime, 'python');
    assert.equal(r.frames.length, 0);
    assert.ok(r.reason);
  });

  it('stops at the frame limit and says the list is truncated', () => {
    const text = ['Error: deep', ...Array.from({ length: 500 }, (_, i) => `    at f${i} (/app/src/x.js:${i + 1}:1)`)].join('\n');
    const r = parseStackTrace(text, 'auto', { maxFrames: 50 });
    assert.equal(r.frames.length, 50);
    assert.equal(r.truncated, true);
  });
});

describe('parseStackTrace on garbage', () => {
  const garbage: unknown[] = [
    '', '   \n\n', 'hello world', '{"not":"a trace"}', '\u0000\u0001\u0002binary\uffff',
    'at', 'at (', '    at :::', 'File "', 'goroutine 1 [running]:\n', 'Caused by: ', '@@@@:1:2', ':in `x\'',
    'x'.repeat(5000), '('.repeat(3000) + ':1:2)', undefined, null, 42, { stack: 'x' },
  ];
  for (const [i, g] of garbage.entries()) {
    it(`returns no frames and a reason, without throwing, for garbage #${i}`, () => {
      const r = parseStackTrace(g as string);
      assert.ok(Array.isArray(r.frames));
      if (r.frames.length === 0) assert.ok(r.reason, JSON.stringify(r));
    });
  }

  it('handles random bytes without throwing', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 50; k++) {
      const s = Array.from({ length: 2000 }, () => String.fromCharCode(Math.floor(rnd() * 128))).join('');
      const r = parseStackTrace(s);
      assert.ok(Array.isArray(r.frames));
    }
  });

  // These guard against catastrophic backtracking (which takes minutes on such input), not a
  // speed target: the bound is generous on purpose; parsing speed is in `npm run bench`.
  const BACKTRACKING_GUARD_MS = 5000;

  it('returns quickly on a 1 MB single line that looks like a frame', () => {
    const line = `    at ${'a'.repeat(1 << 20)} (/x.js:1:1)`;
    const t0 = process.hrtime.bigint();
    const r = parseStackTrace(line);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < BACKTRACKING_GUARD_MS, `${ms} ms`);
    assert.equal(r.truncated, true);
  });

  const hostile: Record<string, string> = {
    'dotnet ") in "': ') in '.repeat(205),
    'java " at "': ' at a.b'.repeat(146),
    'ruby "from x:1"': 'from x:1'.repeat(128),
    'v8 nested "f ("': `    at ${'f ('.repeat(340)}`,
    'gecko "@http://"': 'a@http://x'.repeat(102),
    'python "File"': '  File "a", line 1, in '.repeat(44),
    'firefox console "a "': `    ${'a '.repeat(505)}x.js`,
    'firefox console spaces': `    f${' '.repeat(1000)}g`,
    'chrome console " @ "': `f${' @ f'.repeat(250)}`,
    'java log prefix before "Caused by:"': `${'x '.repeat(200)}Caused by: a`,
    'java dotted header': `${'a.'.repeat(500)}B`,
    'js header decorations': `${'a:1 '.repeat(250)}Error`,
    '.NET assembly frame': `   at ${'a.'.repeat(300)} (${'b, Version=1'.repeat(30)}`,
    'node property block': '    at f (/a.js:1:1) {',
    'localized .NET frame': `   在 a() 位置 ${'b:行号 1 '.repeat(100)}`,
    'Safari console frame': `    ${'f ('.repeat(300)}a.js:1)`,
    'shared words prefix': 'pod-1 web ' + 'x '.repeat(500),
  };
  for (const [name, line] of Object.entries(hostile)) {
    it(`returns quickly on 1 MB of lines built to make regexes backtrack: ${name}`, () => {
      const text = Array.from({ length: 1100 }, () => line).join('\n');
      const t0 = process.hrtime.bigint();
      parseStackTrace(text);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.ok(ms < BACKTRACKING_GUARD_MS, `${ms} ms`);
    });
  }

  it('keeps at most 20 causes of a chain and says the chain is truncated', () => {
    const text = ['TypeError: top', '    at f (/app/a.js:1:1) {', ...Array.from({ length: 3000 }, () => '  [cause]: Error: again {')].join('\n');
    const r = parseStackTrace(text);
    assert.equal(r.causes?.length, 20);
    assert.equal(r.truncated, true);
  });

  it('returns quickly on 1 MB of adversarial colons and parentheses', () => {
    const text = `at f (${':1'.repeat(1 << 19)}`;
    const t0 = process.hrtime.bigint();
    parseStackTrace(text);
    parseStackTrace(`${'a:1:in `'.repeat(100_000)}`);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < BACKTRACKING_GUARD_MS, `${ms} ms`);
  });
});
