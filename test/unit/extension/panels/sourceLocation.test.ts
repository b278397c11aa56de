import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { realPathInWorkspace, resolveInWorkspace } from '../../../../extension/panels/sourceLocation';

describe('which file a panel may open', () => {
  let root: string;
  let ws: string;
  before(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'vw-open-source-')));
    ws = path.join(root, 'ws');
    mkdirSync(path.join(ws, 'src'), { recursive: true });
    writeFileSync(path.join(ws, 'src', 'a.ts'), 'export {};\n');
    writeFileSync(path.join(root, 'secret.txt'), 'secret\n');
    symlinkSync(path.join(root, 'secret.txt'), path.join(ws, 'src', 'link.ts'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('opens a file inside a workspace folder, by absolute or relative path', async () => {
    const file = path.join(ws, 'src', 'a.ts');
    assert.equal(resolveInWorkspace(file, [ws]), file);
    assert.equal(resolveInWorkspace('src/a.ts', [ws]), file);
    assert.equal(await realPathInWorkspace(file, [ws]), file);
  });

  it('refuses absolute paths outside, `..` escapes and the folder itself', () => {
    for (const bad of ['/etc/passwd', path.join(root, 'secret.txt'), `${ws}/../secret.txt`, `${ws}/src/../../secret.txt`, '../secret.txt', ws, `${ws}-evil/x.ts`, '', `${ws}/src/a.ts\0.png`]) {
      assert.equal(resolveInWorkspace(bad, [ws]), undefined, bad);
    }
    assert.equal(resolveInWorkspace(42, [ws]), undefined);
    assert.equal(resolveInWorkspace('/etc/passwd', []), undefined, 'no workspace folder, nothing opens');
  });

  it('refuses a symlink inside the workspace that points outside it', async () => {
    const link = path.join(ws, 'src', 'link.ts');
    assert.equal(resolveInWorkspace(link, [ws]), link, 'lexically inside');
    assert.equal(await realPathInWorkspace(link, [ws]), undefined, 'but its target is not');
  });
});
