// Traces produced right now by the runtimes installed on this machine (Node always; Python
// and Java when present), parsed and placed back on the files that threw them.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { parseStackTrace } from '../../../../collector/source/stackTrace';
import { Locator } from '../../../../collector/source/locator';
import { tempWorkspace, type TempWorkspace } from './tempWorkspace';

function has(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
}

function run(cmd: string, args: string[], cwd: string): string {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30_000 }).stderr;
}

describe('traces from the installed runtimes', () => {
  let ws: TempWorkspace;
  afterEach(() => ws?.cleanup());

  it('Node ESM: async frames and file:// URLs land on the module and line that threw', () => {
    ws = tempWorkspace({
      'src/orders.mjs': 'export async function load(id) {\n  await null;\n  throw new TypeError(`no order ${id}`);\n}\n',
      'main.mjs': "import { load } from './src/orders.mjs';\n\nawait load(7);\n",
    });
    const text = run(process.execPath, ['main.mjs'], ws.root);
    assert.match(text, /file:\/\//);
    const r = parseStackTrace(text);
    assert.equal(r.runtime, 'node');
    assert.equal(r.type, 'TypeError');
    assert.equal(r.message, 'no order 7');
    assert.deepEqual([r.frames[0].file, r.frames[0].line], [ws.abs('src/orders.mjs'), 3]);
    const loc = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) }).locateStack(text).location;
    assert.deepEqual([loc?.file, loc?.line, loc?.via], [ws.abs('src/orders.mjs'), 3, 'stack']);
  });

  it('Python: a chained traceback (raise … from …) keeps the cause and the throw site first', function () {
    if (!has('python3', ['--version'])) this.skip();
    ws = tempWorkspace({
      'app/repo.py': 'def load(i):\n    return {}[i]\n',
      'app/main.py': 'from repo import load\n\ndef order(i):\n    try:\n        return load(i)\n    except KeyError as e:\n        raise LookupError(f"no order {i}") from e\n\norder(7)\n',
    });
    const text = run('python3', ['app/main.py'], ws.root);
    const r = parseStackTrace(text);
    assert.equal(r.type, 'LookupError');
    assert.equal(r.message, 'no order 7');
    assert.deepEqual([r.frames[0].function, r.frames[0].line], ['order', 7]);
    assert.equal(r.causes?.[0].type, 'KeyError');
    assert.deepEqual([r.causes?.[0].frames[0].file, r.causes?.[0].frames[0].line], [ws.abs('app/repo.py'), 2]);
  });

  it('Python 3.11+: an exception group keeps its sub-exceptions as causes', function () {
    if (!has('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'])) this.skip();
    ws = tempWorkspace({
      'eg.py': 'def a():\n    raise ValueError("bad value")\n\nerrs = []\ntry:\n    a()\nexcept Exception as e:\n    errs.append(e)\nraise ExceptionGroup("failures", errs)\n',
    });
    const r = parseStackTrace(run('python3', ['eg.py'], ws.root));
    assert.equal(r.type, 'ExceptionGroup');
    assert.equal(r.frames[0].line, 9);
    assert.equal(r.causes?.[0].type, 'ValueError');
    assert.equal(r.causes?.[0].frames[0].line, 2);
  });

  it('Java: Caused by, inner and anonymous classes resolve to the package path in the workspace', function () {
    if (!has('java', ['-version'])) this.skip();
    this.timeout(60_000);
    const main = [
      'package com.acme;', '', 'public class Main {', '    static class Repo {', '        void load(int id) {',
      '            throw new IllegalStateException("no row " + id);', '        }', '    }', '',
      '    static void service() {', '        try {', '            new Repo().load(7);', '        } catch (IllegalStateException e) {',
      '            throw new RuntimeException("order lookup failed", e);', '        }', '    }', '',
      '    public static void main(String[] args) {', '        Runnable r = new Runnable() {', '            public void run() { service(); }',
      '        };', '        r.run();', '    }', '}', '',
    ].join('\n');
    ws = tempWorkspace({ 'src/main/java/com/acme/Main.java': main });
    const text = run('java', ['src/main/java/com/acme/Main.java'], ws.root);
    const r = parseStackTrace(text);
    assert.equal(r.type, 'java.lang.RuntimeException');
    assert.equal(r.frames[1].function, 'com.acme.Main$1.run');
    assert.equal(r.causes?.[0].frames[0].function, 'com.acme.Main$Repo.load');
    const loc = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) }).locateStack(text).location;
    assert.deepEqual([loc?.file, loc?.line], [ws.abs('src/main/java/com/acme/Main.java'), 14]);
  });
});
