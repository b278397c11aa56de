import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { buildSync } from 'esbuild';
import { Locator } from '../../../../collector/source/locator';
import { parseStackTrace } from '../../../../collector/source/stackTrace';
import { tempWorkspace, type TempWorkspace } from './tempWorkspace';

const SERVICE_TS = `export interface Order { id: string; total: number }

export function total(orders: Order[]): number {
  let sum = 0;
  for (const o of orders) {
    if (o.total < 0) {
      throw new Error('negative total on ' + o.id);
    }
    sum += o.total;
  }
  return sum;
}
`;
const MAIN_TS = `import { total } from './orders/service';

type Maybe<T> = T | undefined;
const input: Maybe<string> = process.env.ORDERS;
console.log(total(JSON.parse(input ?? '[{"id":"a","total":-1}]')));
`;

describe('source maps', () => {
  let ws: TempWorkspace;
  afterEach(() => ws?.cleanup());

  function build(sourcemap: 'external' | 'inline'): void {
    ws = tempWorkspace({ 'src/orders/service.ts': SERVICE_TS, 'src/main.ts': MAIN_TS });
    buildSync({ entryPoints: [ws.abs('src/main.ts')], bundle: true, platform: 'node', outfile: ws.abs('dist/main.js'), sourcemap, logLevel: 'silent' });
  }

  /** Runs the compiled bundle and returns its real stack trace. */
  function runBundle(): string {
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const r = spawnSync(process.execPath, [ws.abs('dist/main.js')], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    return r.stderr;
  }

  it('maps a frame of compiled dist/main.js back to the TypeScript line through the .map file', () => {
    build('external');
    const stack = runBundle();
    const frame = parseStackTrace(stack).frames.find((f) => f.inApp)!;
    assert.match(frame.file!, /dist\/main\.js$/);
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    // The deployed path differs from the workspace one; suffix matching finds dist/main.js.
    const r = locator.resolveFrame({ ...frame, file: `/app/dist/main.js` }, 'stack');
    assert.equal(r.kind, 'location', JSON.stringify(r));
    if (r.kind !== 'location') return;
    assert.equal(r.location.file, ws.abs('src/orders/service.ts'));
    assert.equal(r.location.line, 7);
    assert.equal(r.location.via, 'sourcemap');
    assert.equal(r.generated?.line, frame.line);
  });

  it('reads an inline data: URL source map', () => {
    build('inline');
    assert.equal(fs.existsSync(ws.abs('dist/main.js.map')), false);
    const frame = parseStackTrace(runBundle()).frames.find((f) => f.inApp)!;
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const r = locator.resolveFrame(frame, 'stack');
    assert.equal(r.kind === 'location' && r.location.file, ws.abs('src/orders/service.ts'));
  });

  it('reloads a map when the compiled file changes (mtime)', () => {
    build('external');
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const frame = parseStackTrace(runBundle()).frames.find((f) => f.inApp)!;
    assert.equal(locator.resolveFrame(frame, 'stack').kind, 'location');
    // Rebuild with two extra lines at the top of service.ts: the same TS statement moves to line 9.
    ws.write('src/orders/service.ts', `// a\n// b\n${SERVICE_TS}`);
    buildSync({ entryPoints: [ws.abs('src/main.ts')], bundle: true, platform: 'node', outfile: ws.abs('dist/main.js'), sourcemap: 'external', logLevel: 'silent' });
    const future = new Date(Date.now() + 5000);
    fs.utimesSync(ws.abs('dist/main.js'), future, future);
    const frame2 = parseStackTrace(runBundle()).frames.find((f) => f.inApp)!;
    const r = locator.resolveFrame(frame2, 'stack');
    assert.equal(r.kind === 'location' && r.location.line, 9);
  });

  it('maps a browser frame (URL with query string) through the bundle in the build folder', () => {
    ws = tempWorkspace({ 'src/orders/service.ts': SERVICE_TS, 'src/main.ts': MAIN_TS });
    buildSync({ entryPoints: [ws.abs('src/main.ts')], bundle: true, outfile: ws.abs('build/static/js/main.3f2a.js'), sourcemap: 'external', logLevel: 'silent', define: { 'process.env.ORDERS': 'undefined' } });
    // Find where the throw landed in the bundle, then ask as a browser would report it.
    const bundle = fs.readFileSync(ws.abs('build/static/js/main.3f2a.js'), 'utf8').split('\n');
    const line = bundle.findIndex((l) => l.includes('negative total on')) + 1;
    const column = bundle[line - 1].indexOf('throw') + 1;
    const stack = `TypeError: x\n    at total (https://shop.example/static/js/main.3f2a.js?v=12:${line}:${column})`;
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const loc = locator.locateStack(stack).location;
    assert.equal(loc?.file, ws.abs('src/orders/service.ts'));
    assert.equal(loc?.line, 7);
    assert.equal(loc?.via, 'sourcemap');
  });

  it('matches a webpack:// source in the map against the workspace by suffix', () => {
    ws = tempWorkspace({ 'src/orders/service.ts': SERVICE_TS });
    // One mapping: generated line 1, column 0 → webpack://shop/./src/orders/service.ts line 7, column 6.
    const map = { version: 3, sources: ['webpack://shop/./src/orders/service.ts'], names: [], mappings: 'AAMM' };
    ws.write('public/app.js', 'throw new Error("x");\n//# sourceMappingURL=app.js.map\n');
    ws.write('public/app.js.map', JSON.stringify(map));
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const r = locator.resolveFrame({ file: 'https://shop.example/app.js', line: 1, column: 1 }, 'stack');
    assert.equal(r.kind === 'location' && r.location.file, ws.abs('src/orders/service.ts'));
    assert.equal(r.kind === 'location' && r.location.line, 7);
  });

  it('leaves a compiled file without a map as the compiled location', () => {
    ws = tempWorkspace({ 'dist/plain.js': 'function f() {\n  throw new Error("x");\n}\n' });
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const r = locator.resolveFrame({ file: '/srv/dist/plain.js', line: 2, column: 3 }, 'stack');
    assert.equal(r.kind === 'location' && r.location.via, 'stack');
  });
});
