// A real Fastify 5 app (route plugins under prefixes, handlers that return values so Fastify
// writes the response, better-sqlite3) under vibewatch/register against the real collector:
// server spans on the registering line with the prefixed route template, queries at their
// issuing line, none in the other handler's file under interleaved concurrent requests.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type Running } from '../collector/server/harness';
import { SpanKind } from '../../../collector/model/types';
import type { Span } from '../../../collector/model/types';
import { httpGet, lineMarkers, otelEnv, spawnApp, waitFor, type RunningApp } from './spawnApp';

const FIXTURE = join(__dirname, 'fixtures', 'fastify-sqlite');

describe('vibewatch/register on Fastify + better-sqlite3', function () {
  this.timeout(90_000);
  let dir: string;
  let collector: Running;
  let app: RunningApp;
  let booksFile: string;
  let authorsFile: string;
  let lines: Record<string, number>;
  const REQUESTS = 15;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vw-register-fastify-'));
    cpSync(FIXTURE, dir, { recursive: true });
    booksFile = join(dir, 'routes', 'books.js');
    authorsFile = join(dir, 'routes', 'authors.js');
    lines = { ...lineMarkers(booksFile), ...lineMarkers(authorsFile) };
    collector = await startCollector();
    app = await spawnApp(join(dir, 'app.js'), { cwd: dir, env: otelEnv(collector.url) });
    const all: Promise<{ status: number }>[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      all.push(httpGet(app.port, `/api/books/${1 + (i % 2)}?delay=${i % 3}`));
      all.push(httpGet(app.port, `/api/authors/herbert/books?delay=${(i + 1) % 3}`));
    }
    assert.deepEqual((await Promise.all(all)).map((r) => r.status).filter((s) => s !== 200), []);
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const spans = () => collector.store.spans.filter((s) => s.resource.serviceName === 'register-fixture-fastify-sqlite');
  const servers = () => spans().filter((s) => s.kind === SpanKind.Server);
  const where = (s: Span) => `${s.attributes['code.file.path']}:${s.attributes['code.line.number']}`;
  const allServers = () => waitFor('all server spans', () => (servers().length >= 2 * REQUESTS ? servers() : undefined), 20_000);

  it('names server spans by the prefixed route template and places them on the registering line', async () => {
    const all = await allServers();
    const book = all.filter((s) => s.attributes['http.route'] === '/api/books/:id');
    const author = all.filter((s) => s.attributes['http.route'] === '/api/authors/:name/books');
    assert.equal(book.length, REQUESTS);
    assert.equal(author.length, REQUESTS);
    assert.deepEqual([...new Set(book.map(where))], [`${booksFile}:${lines.bookRoute}`]);
    assert.deepEqual([...new Set(author.map(where))], [`${authorsFile}:${lines.authorRoute}`]);
  });

  it('gives the queries their issuing lines and puts no span in the other handler\'s file', async () => {
    const all = await allServers();
    const gets = await waitFor('sqlite spans', () => {
      const q = spans().filter((s) => s.attributes['vibewatch.sqlite.call'] === 'get' || s.attributes['vibewatch.sqlite.call'] === 'all');
      return q.length >= 2 * REQUESTS ? q : undefined;
    }, 20_000);
    assert.deepEqual([...new Set(gets.map(where))].sort(), [`${authorsFile}:${lines.authorQuery}`, `${booksFile}:${lines.bookQuery}`].sort());
    let wrong = 0;
    for (const s of all) {
      const other = s.attributes['http.route'] === '/api/books/:id' ? authorsFile : booksFile;
      wrong += spans().filter((t) => t.traceId === s.traceId && t.attributes['code.file.path'] === other).length;
    }
    assert.equal(wrong, 0);
  });
});
