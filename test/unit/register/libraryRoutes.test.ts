// Routes that a library registers for the app from one bootstrap line (NestJS does this
// through Express): the registration stack shows only that line, so it must not become
// every route's site. The server spans land where each handler writes its response instead.
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type Running } from '../collector/server/harness';
import { SpanKind } from '../../../collector/model/types';
import { httpGet, lineMarkers, otelEnv, spawnApp, waitFor, type RunningApp } from './spawnApp';

describe('vibewatch/register with routes registered by a library', function () {
  this.timeout(60_000);
  let dir: string;
  let collector: Running;
  let app: RunningApp;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vw-register-lib-'));
    cpSync(join(__dirname, 'fixtures', 'express-lib'), dir, { recursive: true });
    mkdirSync(join(dir, 'node_modules', 'controller-lib'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', 'controller-lib', 'index.js'),
      'exports.mountControllers = (app, controllers) => { for (const c of controllers) for (const [path, fn] of Object.entries(c)) app.get(path, fn); };\n',
    );
    collector = await startCollector();
    app = await spawnApp(join(dir, 'app.js'), { cwd: dir, env: otelEnv(collector.url) });
    const all = await Promise.all([1, 2, 3].flatMap((i) => [httpGet(app.port, `/users/${i}`), httpGet(app.port, `/orders/${i}`)]));
    assert.deepEqual(all.map((r) => r.status).filter((s) => s !== 200), []);
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('places each server span in its handler\'s file, not on the bootstrap line', async () => {
    const servers = await waitFor('6 server spans', () => {
      const s = collector.store.spans.filter((x) => x.resource.serviceName === 'register-fixture-express-lib' && x.kind === SpanKind.Server);
      return s.length >= 6 ? s : undefined;
    }, 20_000);
    const users = join(dir, 'users.js');
    const orders = join(dir, 'orders.js');
    const where = new Set(servers.map((s) => `${s.attributes['http.route']} ${s.attributes['code.file.path']}:${s.attributes['code.line.number']}`));
    assert.deepEqual([...where].sort(), [`/orders/:id ${orders}:${lineMarkers(orders).ordersRespond}`, `/users/:id ${users}:${lineMarkers(users).usersRespond}`]);
  });
});
