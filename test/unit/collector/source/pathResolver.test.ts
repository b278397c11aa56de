import { strict as assert } from 'node:assert';
import { PathResolver } from '../../../../collector/source/pathResolver';
import type { PathResolution } from '../../../../collector/source/types';
import { tempWorkspace, type TempWorkspace } from './tempWorkspace';

function fileOf(r: PathResolution): string {
  assert.equal(r.kind, 'file', JSON.stringify(r));
  return (r as { file: string }).file;
}

describe('PathResolver', () => {
  let ws: TempWorkspace;
  let other: TempWorkspace;
  beforeEach(() => {
    ws = tempWorkspace({
      'src/orders/service.ts': 'export {}',
      'src/orders/repo.ts': 'export {}',
      'src/users/service.ts': 'export {}',
      'src/Controllers/OrdersController.cs': '',
      'node_modules/lib/index.js': '',
      'src/index.js': '',
      'dist/server.js': '',
      'packages/a/util.py': '',
      'packages/b/util.py': '',
    });
    other = tempWorkspace({ 'api/handlers/pay.go': '' });
  });
  afterEach(() => { ws.cleanup(); other.cleanup(); });

  const make = (mappings: Record<string, string> = {}, folders = () => [ws.root]) => new PathResolver({ folders, pathMappings: () => mappings });

  it('maps a deployed path to the workspace file with the longest matching suffix', () => {
    const r = make().resolve('/app/src/orders/service.ts');
    assert.equal(fileOf(r), ws.abs('src/orders/service.ts'));
    assert.equal((r as { how: string }).how, 'suffix');
  });

  it('trusts a whole workspace-relative suffix more than a bare unique file name', () => {
    const whole = make().resolve('/app/src/orders/repo.ts') as { confidence: number };
    const bare = make().resolve('repo.ts') as { confidence: number };
    assert.equal(whole.confidence, 0.95);
    assert.equal(bare.confidence, 0.6);
  });

  it('reports two equally good suffix matches as ambiguous instead of guessing', () => {
    const r = make().resolve('/srv/service.ts');
    assert.equal(r.kind, 'ambiguous');
    assert.deepEqual([...(r as { ambiguous: string[] }).ambiguous].sort(), [ws.abs('src/orders/service.ts'), ws.abs('src/users/service.ts')]);
  });

  it('breaks a basename tie with the longer suffix', () => {
    assert.equal(fileOf(make().resolve('/opt/app/users/service.ts')), ws.abs('src/users/service.ts'));
  });

  it('applies a ${workspaceFolder} prefix mapping before suffix matching', () => {
    const r = make({ '/app/': '${workspaceFolder}/packages/b/' }).resolve('/app/util.py');
    assert.equal(fileOf(r), ws.abs('packages/b/util.py'));
    assert.equal((r as { how: string }).how, 'mapping');
    assert.equal((r as { confidence: number }).confidence, 1);
  });

  it('applies a Windows prefix mapping case-insensitively', () => {
    const r = make({ 'C:\\Build\\': '${workspaceFolder}/' }).resolve('c:\\build\\src\\Controllers\\OrdersController.cs');
    assert.equal(fileOf(r), ws.abs('src/Controllers/OrdersController.cs'));
    assert.equal((r as { how: string }).how, 'mapping');
  });

  it('expands ${workspaceFolder:name} to the folder with that name', () => {
    const name = other.root.split('/').pop()!;
    const r = make({ '/srv/': `\${workspaceFolder:${name}}/api/` }, () => [ws.root, other.root]).resolve('/srv/handlers/pay.go');
    assert.equal(fileOf(r), other.abs('api/handlers/pay.go'));
  });

  it('matches Windows-style paths case-insensitively', () => {
    const r = make().resolve('C:\\Build\\SRC\\controllers\\ordersController.CS');
    assert.equal(fileOf(r), ws.abs('src/Controllers/OrdersController.cs'));
  });

  it('matches POSIX paths case-sensitively', () => {
    assert.equal(make().resolve('/app/src/orders/SERVICE.ts').kind, 'unresolved');
  });

  it('ignores node_modules and build folders when a source file matches', () => {
    ws.write('node_modules/x/src/index.js', '');
    assert.equal(fileOf(make().resolve('/app/src/index.js')), ws.abs('src/index.js'));
  });

  it('falls back to build folders when that is all there is, with lower confidence', () => {
    const r = make().resolve('/app/dist/server.js');
    assert.equal(fileOf(r), ws.abs('dist/server.js'));
    assert.ok((r as { confidence: number }).confidence < 0.95);
  });

  it('strips the origin and query of browser URLs and decodes file:// URLs', () => {
    assert.equal(fileOf(make().resolve('https://shop.example/src/orders/repo.ts?v=3#x')), ws.abs('src/orders/repo.ts'));
    assert.equal(fileOf(make().resolve(`file://${ws.abs('src/orders/repo.ts')}`)), ws.abs('src/orders/repo.ts'));
  });

  it('resolves an absolute path inside the workspace exactly', () => {
    const r = make().resolve(ws.abs('src/users/service.ts'));
    assert.equal((r as { how: string }).how, 'exact');
  });

  it('searches every workspace folder at once', () => {
    const r = make({}, () => [ws.root, other.root]).resolve('/go/src/github.com/acme/api/handlers/pay.go');
    assert.equal(fileOf(r), other.abs('api/handlers/pay.go'));
  });

  it('says why when nothing matches or no folder is open', () => {
    assert.match((make().resolve('/app/nothing.rb') as { reason: string }).reason, /nothing\.rb/);
    assert.match((make({}, () => []).resolve('/app/x.ts') as { reason: string }).reason, /no workspace folder/);
  });

  it('walks the workspace once for many lookups and again only after refresh', () => {
    const r = make();
    for (let i = 0; i < 100; i++) r.resolve(`/app/${i}/src/orders/service.ts`);
    assert.equal(r.index(ws.root).builds, 1);
    ws.write('src/new/thing.ts', '');
    assert.equal(r.resolve('/x/new/thing.ts').kind, 'unresolved');
    r.fileCreated(ws.abs('src/new/thing.ts'));
    assert.equal(fileOf(r.resolve('/x/new/thing.ts')), ws.abs('src/new/thing.ts'));
    assert.equal(r.index(ws.root).builds, 1);
    r.refresh();
    r.resolve('/x/new/thing.ts');
    assert.equal(r.index(ws.root).builds, 2);
  });
});
