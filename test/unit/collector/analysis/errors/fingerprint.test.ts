import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { computeFingerprint, frameModule } from '../../../../../collector/analysis/errors/fingerprint';
import { sourceStackParser } from '../../../../../collector/analysis/errors/stackParser';

// Real stack traces from public issues (the .source file next to each names where from).
const DIR = path.join(__dirname, 'fixtures', 'stacks');
const read = (name: string) => readFileSync(path.join(DIR, `${name}.txt`), 'utf8');

function fp(type: string, message: string, stack: string, runtime?: string) {
  return computeFingerprint(type, message, sourceStackParser.parseStackTrace(stack, runtime));
}
/** An edit above the throw: every line number moves, nothing else. */
const shiftLines = (stack: string, by: number) => stack.replace(/(\.\w+:|line )(\d+)/g, (_m, p: string, n: string) => `${p}${Number(n) + by}`);

const CASES = [
  { name: 'java-spring-npe', type: 'java.lang.NullPointerException', runtime: 'java', top: 'controllers/ForgotPasswordController:com.mavericsystems.digitalinterviewportal.controllers.ForgotPasswordController.forgotpassword' },
  { name: 'go-grmon', type: 'panic', runtime: 'go', top: 'grmon/parse:main.ReadRoutines' },
  { name: 'node-mpesa-single', type: 'TypeError', runtime: 'nodejs', top: undefined },
];

describe('analysis/fingerprint (real stack traces)', () => {
  for (const c of CASES) {
    it(`${c.name}: an edit that moves every line keeps the fingerprint`, () => {
      const text = read(c.name);
      const a = fp(c.type, 'x', text, c.runtime);
      const b = fp(c.type, 'x', shiftLines(text, 7), c.runtime);
      assert.notEqual(shiftLines(text, 7), text);
      assert.equal(a.hash, b.hash);
      const frames = a.components.find((x) => x.name === 'frames')!;
      assert.ok(frames.contributes, frames.hint);
      if (c.top) assert.equal(frames.values[0], c.top);
    });
  }

  it('java: a different message with the same stack is the same group; another type is not', () => {
    const text = read('java-spring-npe');
    assert.equal(fp('java.lang.NullPointerException', 'null', text, 'java').hash, fp('java.lang.NullPointerException', 'user 17 has no email', text, 'java').hash);
    assert.notEqual(fp('java.lang.NullPointerException', 'null', text, 'java').hash, fp('java.lang.IllegalStateException', 'null', text, 'java').hash);
  });

  it('says when no frame is in-app and the top frames were used instead', () => {
    const f = fp('TypeError', "Cannot read properties of undefined (reading 'status')", read('node-mpesa-single'), 'nodejs');
    const frames = f.components.find((x) => x.name === 'frames')!;
    assert.match(frames.hint, /no in-app frames; top 1 frame\(s\) used/);
    assert.deepEqual(frames.values, ['dist/service:Service.buildResponse']);
  });

  it('python: uses the traceback frames and explains why the message is ignored', () => {
    const f = fp('ValueError', 'no last exception', read('python-ledgerhelpers'), 'python');
    const by = Object.fromEntries(f.components.map((c) => [c.name, c]));
    assert.ok(by.frames.contributes);
    assert.equal(by.message.contributes, false);
    assert.match(by.message.hint, /stack trace is available/);
  });

  it('derives a module that survives deploy paths and bundler hashes', () => {
    assert.equal(frameModule('/srv/app/releases/20261125/src/orders.ts'), 'src/orders');
    assert.equal(frameModule('/home/me/shop/src/orders.ts'), 'src/orders');
    assert.equal(frameModule('webpack:///./static/js/main.3f9a2b1c.js'), 'js/main');
    assert.equal(frameModule(undefined), '?');
  });

  it('tells apart two throws in anonymous inline handlers of one file by their message, and still ignores ids and line moves', () => {
    const stack = (line: number) => `Error: x\n    at /app/routes/articles.js:${line}:11\n    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)`;
    const notFound = fp('Error', 'article 42 not found', stack(12), 'nodejs');
    const denied = fp('Error', 'editing is not allowed', stack(30), 'nodejs');
    assert.notEqual(notFound.hash, denied.hash);
    assert.equal(fp('Error', 'article 77 not found', stack(19), 'nodejs').hash, notFound.hash);
    assert.match(notFound.components.find((x) => x.name === 'message')!.hint, /anonymous/);
  });
});
