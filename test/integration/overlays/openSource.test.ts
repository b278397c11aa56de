// A panel's "Open source" in the real host: a file inside the workspace opens at its line; an
// absolute path outside, a `..` escape and a symlink pointing out of the workspace open nothing
// (the location comes from a webview that shows telemetry).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openSourceInWorkspace } from '../../../extension/panels/openSource';
import { WORKSPACE, writeSource } from './hostHelpers';

describe('panel "Open source" (in the extension host)', () => {
  it('opens a workspace file at its line and refuses paths outside the workspace', async () => {
    const inside = writeSource('src/open-source/ok.ts', 'export const a = 1;\nexport const b = 2;\n');
    const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vw-outside-'));
    const secret = path.join(outsideDir, 'secret.ts');
    fs.writeFileSync(secret, 'export const secret = 1;\n');
    const link = path.join(WORKSPACE, 'src', 'open-source', 'link.ts');
    fs.rmSync(link, { force: true });
    fs.symlinkSync(secret, link);
    const logged: string[] = [];
    try {
      assert.equal(await openSourceInWorkspace({ file: inside, line: 2 }, (m) => logged.push(m)), fs.realpathSync(inside));
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, fs.realpathSync(inside));
      assert.equal(vscode.window.activeTextEditor?.selection.active.line, 1);
      for (const bad of [secret, '/etc/passwd', path.join(WORKSPACE, '..', path.basename(outsideDir), 'secret.ts'), `${WORKSPACE}/src/../../${path.relative(path.dirname(WORKSPACE), secret)}`, link]) {
        assert.equal(await openSourceInWorkspace({ file: bad, line: 1 }, (m) => logged.push(m)), undefined, bad);
        assert.notEqual(vscode.window.activeTextEditor?.document.uri.fsPath, fs.realpathSync(secret), `${bad} did not open the outside file`);
        assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === '/etc/passwd' || d.uri.fsPath === fs.realpathSync(secret)), `${bad} loaded no outside document`);
      }
      assert.equal(logged.length, 5, 'each refusal is logged');
    } finally {
      fs.rmSync(link, { force: true });
      fs.rmSync(outsideDir, { recursive: true, force: true });
    }
  });
});
