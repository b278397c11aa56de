// Runbooks are served per client: the real collector (the test harness's startRealCollector) and
// two live clients that registered different folders; each sees only its own folder's runbooks.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveClient } from '../../../../collector/live/client';
import { secretFrom } from '../../../../collector/live/secretFile';
import { startRealCollector, type RealCollector } from '../../../harness/realCollector';

function workspaceWithRunbook(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, '.vibewatch', 'runbooks'), { recursive: true });
  writeFileSync(join(dir, '.vibewatch', 'runbooks', `${name}.md`), `---\ntitle: ${name} runbook\nalerts: [default.*]\n---\n1. vscode: vibewatch.openErrors\n`);
  return dir;
}

describe('runbooks served per client (real collector)', function () {
  this.timeout(60_000);
  let root: string;
  let collector: RealCollector;
  const clients: LiveClient[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'vw-runbook-scope-'));
    collector = await startRealCollector({ storage: join(root, 'storage') });
    clients.push(collector.client);
    for (let i = 0; i < 2; i++) {
      const c = new LiveClient({ port: collector.port, secret: secretFrom(collector.storage) });
      await c.connect();
      clients.push(c);
    }
  });
  after(async () => {
    for (const c of clients.slice(1)) c.dispose();
    await collector?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("answers each client with the runbooks of the folders it registered, not another client's", async () => {
    const [a, b, none] = clients;
    await a.request('registerWorkspace', { folders: [workspaceWithRunbook(root, 'alpha')] });
    await b.request('registerWorkspace', { folders: [workspaceWithRunbook(root, 'beta')] });
    // Both folders' config is read after the registrations (asynchronously): wait for it.
    for (let i = 0; i < 200; i++) {
      if ((await a.request('runbooks', {})).length && (await b.request('runbooks', {})).length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual((await a.request('runbooks', {})).map((r) => r.id), ['alpha']);
    assert.deepEqual((await b.request('runbooks', {})).map((r) => r.id), ['beta']);
    assert.deepEqual((await none.request('runbooks', {})).map((r) => r.id), [], 'a client that registered nothing sees none');
  });
});
