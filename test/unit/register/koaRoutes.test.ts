// A real Koa 2 app (@koa/router routers under prefixes, handlers that set ctx.body so Koa
// writes the response, better-sqlite3) under vibewatch/register against the real collector:
// server spans on the registering line with the prefixed route template (Koa writes the
// response after the handler returned, with no app frame on the stack), queries at their
// issuing line, none in the other handler's file under interleaved concurrent requests.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type Running } from '../collector/server/harness';
import { SpanKind } from '../../../collector/model/types';
import type { Span } from '../../../collector/model/types';
import { httpGet, lineMarkers, otelEnv, spawnApp, waitFor, type RunningApp } from './spawnApp';

const FIXTURE = join(__dirname, 'fixtures', 'koa-sqlite');

describe('vibewatch/register on Koa + better-sqlite3', function () {
  this.timeout(90_000);
  let dir: string;
  let collector: Running;
  let app: RunningApp;
  let petsFile: string;
  let toysFile: string;
  let lines: Record<string, number>;
  const REQUESTS = 15;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vw-register-koa-'));
    cpSync(FIXTURE, dir, { recursive: true });
    petsFile = join(dir, 'routes', 'pets.js');
    toysFile = join(dir, 'routes', 'toys.js');
    lines = { ...lineMarkers(petsFile), ...lineMarkers(toysFile) };
    collector = await startCollector();
    app = await spawnApp(join(dir, 'app.js'), { cwd: dir, env: otelEnv(collector.url) });
    const all: Promise<{ status: number }>[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      all.push(httpGet(app.port, `/api/pets/${1 + (i % 2)}?delay=${i % 3}`));
      all.push(httpGet(app.port, `/api/toys/ball/list?delay=${(i + 1) % 3}`));
    }
    assert.deepEqual((await Promise.all(all)).map((r) => r.status).filter((s) => s !== 200), []);
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const spans = () => collector.store.spans.filter((s) => s.resource.serviceName === 'register-fixture-koa-sqlite');
  const servers = () => spans().filter((s) => s.kind === SpanKind.Server);
  const where = (s: Span) => `${s.attributes['code.file.path']}:${s.attributes['code.line.number']}`;
  const allServers = () => waitFor('all server spans', () => (servers().length >= 2 * REQUESTS ? servers() : undefined), 20_000);

  it('names server spans by the prefixed route template and places them on the registering line', async () => {
    const all = await allServers();
    const pet = all.filter((s) => s.attributes['http.route'] === '/api/pets/:id');
    const toy = all.filter((s) => s.attributes['http.route'] === '/api/toys/:kind/list');
    assert.equal(pet.length, REQUESTS);
    assert.equal(toy.length, REQUESTS);
    assert.deepEqual([...new Set(pet.map(where))], [`${petsFile}:${lines.petRoute}`]);
    assert.deepEqual([...new Set(toy.map(where))], [`${toysFile}:${lines.toyRoute}`]);
  });

  it('gives the queries their issuing lines and puts no span in the other handler\'s file', async () => {
    const all = await allServers();
    const gets = await waitFor('sqlite spans', () => {
      const q = spans().filter((s) => s.attributes['vibewatch.sqlite.call'] === 'get');
      return q.length >= REQUESTS ? q : undefined;
    }, 20_000);
    assert.deepEqual([...new Set(gets.map(where))], [`${petsFile}:${lines.petQuery}`]);
    let wrong = 0;
    for (const s of all) {
      const other = s.attributes['http.route'] === '/api/pets/:id' ? toysFile : petsFile;
      wrong += spans().filter((t) => t.traceId === s.traceId && t.attributes['code.file.path'] === other).length;
    }
    assert.equal(wrong, 0);
  });
});
