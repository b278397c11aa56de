// A real Express 4 app (routers mounted from other files, pg on a real PostgreSQL,
// better-sqlite3) under vibewatch/register against the real collector: DB spans at the
// issuing line, server spans on the route that served them with the mounted route
// template, and no span in another handler's file under interleaved concurrent requests.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startCollector, type Running } from '../collector/server/harness';
import { SpanKind } from '../../../collector/model/types';
import type { Span } from '../../../collector/model/types';
import { startPostgres, type Postgres } from '../../harness/postgres';
import { httpGet, lineMarkers as markers, otelEnv, spawnApp, waitFor, type RunningApp } from './spawnApp';

const FIXTURE = join(__dirname, 'fixtures', 'express-pg');

describe('vibewatch/register on Express + pg + better-sqlite3', function () {
  this.timeout(90_000);
  let dir: string;
  let pg: Postgres;
  let collector: Running;
  let app: RunningApp;
  let articlesFile: string;
  let notesFile: string;
  let lines: Record<string, number>;
  const REQUESTS = 20;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vw-register-express-'));
    cpSync(FIXTURE, dir, { recursive: true });
    articlesFile = join(dir, 'routes', 'articles.js');
    notesFile = join(dir, 'routes', 'notes.js');
    lines = { ...markers(articlesFile), ...markers(notesFile) };
    pg = await startPostgres();
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    await c.query('CREATE TABLE article (slug text primary key, title text)');
    await c.query("INSERT INTO article VALUES ('hello-world', 'Hello'), ('second', 'Two')");
    await c.end();
    collector = await startCollector();
    app = await spawnApp(join(dir, 'app.js'), { cwd: dir, env: { ...otelEnv(collector.url), DATABASE_URL: pg.url } });
    // Interleaved: each article request waits in the pg query while a note request runs,
    // and the delays make the two handlers' continuations alternate.
    const all: Promise<{ status: number }>[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      all.push(httpGet(app.port, `/api/articles/${i % 2 ? 'hello-world' : 'second'}?delay=${i % 3}`));
      all.push(httpGet(app.port, `/api/notes/first?delay=${(i + 1) % 3}`));
    }
    all.push(httpGet(app.port, '/api/articles/missing'), httpGet(app.port, '/api/notes/missing'));
    const statuses = (await Promise.all(all)).map((r) => r.status);
    assert.deepEqual(statuses.slice(0, -2).filter((s) => s !== 200), []);
    assert.deepEqual(statuses.slice(-2), [404, 404]);
    // Matched by no route: Express's own 404, one endpoint whatever the path.
    assert.equal((await httpGet(app.port, '/api/unknown/123')).status, 404);
    assert.equal((await httpGet(app.port, '/nothing-here')).status, 404);
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const spans = () => collector.store.spans.filter((s) => s.resource.serviceName === 'register-fixture-express-pg');
  const servers = () => spans().filter((s) => s.kind === SpanKind.Server);
  const file = (s: Span) => s.attributes['code.file.path'];
  const line = (s: Span) => s.attributes['code.line.number'];

  it('names every server span by its mounted route template, whatever the outcome, and gives unmatched requests no route', async () => {
    const all = await waitFor('all server spans', () => (servers().length >= 2 * REQUESTS + 4 ? servers() : undefined), 20_000);
    const routes = new Set(all.filter((s) => s.attributes['http.response.status_code'] !== 404 || /missing/.test(String(s.attributes['url.path']))).map((s) => `${s.attributes['http.request.method']} ${s.attributes['http.route']}`));
    assert.deepEqual([...routes].sort(), ['GET /api/articles/:slug', 'GET /api/notes/:slug']);
    const unmatched = all.filter((s) => /unknown|nothing/.test(String(s.attributes['url.path'])));
    assert.equal(unmatched.length, 2);
    assert.deepEqual(unmatched.map((s) => [s.attributes['http.route'], s.name]), [[undefined, 'GET'], [undefined, 'GET']]);
    assert.equal(all.filter((s) => s.attributes['vibewatch.route.inferred'] !== undefined).length, 0);
  });

  it('places each server span on the line that registered its route, in the router file', async () => {
    const all = await waitFor('all server spans', () => (servers().length >= 2 * REQUESTS + 2 ? servers() : undefined), 20_000);
    const where = (s: Span) => `${file(s)}:${line(s)}`;
    const articleSpans = all.filter((s) => s.attributes['http.route'] === '/api/articles/:slug');
    const noteSpans = all.filter((s) => s.attributes['http.route'] === '/api/notes/:slug');
    assert.equal(articleSpans.length, REQUESTS + 1);
    assert.equal(noteSpans.length, REQUESTS + 1);
    assert.deepEqual([...new Set(articleSpans.map(where))], [`${articlesFile}:${lines.articleRoute}`]);
    assert.deepEqual([...new Set(noteSpans.map(where))], [`${notesFile}:${lines.noteRoute}`]);
  });

  it('gives every pg query span the app line that issued it, across the await and the pool', async () => {
    const queries = await waitFor('pg query spans', () => {
      const q = spans().filter((s) => s.attributes['db.system.name'] === 'postgresql' || s.attributes['db.system'] === 'postgresql').filter((s) => /SELECT slug, title FROM article/.test(String(s.attributes['db.query.text'] ?? s.attributes['db.statement'])));
      return q.length >= REQUESTS + 1 ? q : undefined;
    }, 20_000);
    assert.deepEqual([...new Set(queries.map((s) => `${file(s)}:${line(s)}`))], [`${articlesFile}:${lines.pgQuery}`]);
    assert.deepEqual([...new Set(queries.map((s) => s.attributes['code.function.name']))], ['findArticle']);
  });

  it('gives every better-sqlite3 query span its issuing line', async () => {
    const gets = await waitFor('sqlite get spans', () => {
      const q = spans().filter((s) => s.attributes['vibewatch.sqlite.call'] === 'get');
      return q.length >= REQUESTS + 1 ? q : undefined;
    }, 20_000);
    assert.deepEqual([...new Set(gets.map((s) => `${file(s)}:${line(s)}`))], [`${notesFile}:${lines.sqliteQuery}`]);
  });

  it('puts no span of a trace in the other handler\'s file', async () => {
    await waitFor('all server spans', () => servers().length >= 2 * REQUESTS + 2, 20_000);
    const byTrace = new Map<string, Span[]>();
    for (const s of spans()) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    let wrong = 0;
    let checked = 0;
    for (const s of servers()) {
      const own = s.attributes['http.route'] === '/api/articles/:slug' ? articlesFile : notesFile;
      const other = own === articlesFile ? notesFile : articlesFile;
      for (const t of byTrace.get(s.traceId) ?? []) {
        checked++;
        if (file(t) === other) wrong++;
      }
    }
    assert.ok(checked > 4 * REQUESTS, `checked ${checked} spans`);
    assert.equal(wrong, 0);
  });
});
