// Paths from telemetry, path mappings and source maps are read or returned as workspace files
// only inside a registered folder, after normalisation and symlink resolution (issue 13:
// `/<workspace>/../../etc/passwd` was accepted as a workspace file, and the collector read
// .js files and source maps outside the workspace).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Locator } from '../../../../collector/source/locator';
import { PathResolver } from '../../../../collector/source/pathResolver';
import { tempWorkspace, type TempWorkspace } from './tempWorkspace';

describe('workspace boundary for telemetry paths', () => {
  let ws: TempWorkspace;
  let outside: TempWorkspace;
  beforeEach(() => {
    ws = tempWorkspace({ 'src/real.ts': 'export const a = 1;\n', 'src/orders.go': '' });
    outside = tempWorkspace({ 'secret/passwd': 'root:x:0:0\n', 'secret/key.ts': 'export const key = 1;\n' });
  });
  afterEach(() => { ws.cleanup(); outside.cleanup(); });

  const resolver = (mappings: Record<string, string> = {}) => new PathResolver({ folders: () => [ws.root], pathMappings: () => mappings });
  const dots = (to: string) => `${ws.root}/${path.relative(ws.root, to).replace(/\\/g, '/')}`;

  it('does not accept /<workspace>/../.. as a workspace file', () => {
    const raw = dots(outside.abs('secret/passwd'));
    assert.ok(raw.startsWith(`${ws.root}/../`), raw);
    const r = resolver().resolve(raw);
    assert.notEqual(r.kind, 'file', JSON.stringify(r));
  });

  it('still accepts a normalised path inside the workspace that contains ..', () => {
    const r = resolver().resolve(`${ws.root}/src/../src/real.ts`);
    assert.deepEqual(r.kind === 'file' && r.file, ws.abs('src/real.ts'));
  });

  it('treats a symlink inside the workspace that points outside as outside', () => {
    fs.symlinkSync(outside.abs('secret/passwd'), path.join(ws.root, 'src/link.ts'));
    fs.symlinkSync(outside.abs('secret'), path.join(ws.root, 'linkdir'));
    for (const raw of [ws.abs('src/link.ts'), ws.abs('linkdir/passwd')]) {
      const r = resolver().resolve(raw);
      assert.notEqual(r.kind, 'file', `${raw}: ${JSON.stringify(r)}`);
    }
  });

  it('does not follow a path mapping out of the workspace', () => {
    const rel = path.relative(ws.root, outside.abs('secret/passwd')).replace(/\\/g, '/');
    const r = resolver({ '/app/': '${workspaceFolder}/' }).resolve(`/app/${rel}`);
    assert.notEqual(r.kind, 'file', JSON.stringify(r));
    const ok = resolver({ '/app/': '${workspaceFolder}/' }).resolve('/app/src/real.ts');
    assert.equal(ok.kind === 'file' && ok.file, ws.abs('src/real.ts'));
  });

  it("does not take a source map's source outside the workspace as the location", () => {
    const source = path.relative(ws.abs('dist'), outside.abs('secret/key.ts')).replace(/\\/g, '/');
    ws.write('dist/app.js', 'exports.a = 1;\n//# sourceMappingURL=app.js.map\n');
    ws.write('dist/app.js.map', JSON.stringify({ version: 3, sources: [source], names: [], mappings: 'AAAA' }));
    const l = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const r = l.resolveFrame({ file: ws.abs('dist/app.js'), line: 1, column: 1 }, 'stack');
    if (r.kind === 'location') assert.ok(r.location.file.startsWith(`${ws.root}/`), r.location.file);
  });

  it('does not read a source map file outside the workspace', () => {
    const mapOutside = outside.write('maps/app.js.map', JSON.stringify({ version: 3, sources: [ws.abs('src/real.ts')], names: [], mappings: 'AAAA' }));
    ws.write('dist/app.js', `exports.a = 1;\n//# sourceMappingURL=${path.relative(ws.abs('dist'), mapOutside).replace(/\\/g, '/')}\n`);
    const l = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const r = l.resolveFrame({ file: ws.abs('dist/app.js'), line: 1, column: 1 }, 'stack');
    assert.equal(r.kind, 'location');
    assert.notEqual(r.kind === 'location' && r.location.via, 'sourcemap', 'the map outside was read');
  });

  it('does not read a generated file outside the workspace even when a mapping names it', () => {
    outside.write('dist/app.js', 'exports.a = 1;\n//# sourceMappingURL=app.js.map\n');
    outside.write('dist/app.js.map', JSON.stringify({ version: 3, sources: [ws.abs('src/real.ts')], names: [], mappings: 'AAAA' }));
    const l = new Locator({ folders: () => [ws.root], pathMappings: () => ({ '/app/': `${outside.root}/` }) });
    const r = l.resolveFrame({ file: '/app/dist/app.js', line: 1, column: 1 }, 'stack');
    assert.notEqual(r.kind === 'location' && r.location.via, 'sourcemap', JSON.stringify(r));
  });
});
