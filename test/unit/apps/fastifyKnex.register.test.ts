// Issue #17's measure on the realistic Fastify 5 + knex + SQLite (better-sqlite3) app, run
// unchanged under `vibewatch/register` (console bridge off, the app logs nothing) against the
// collector as the extension runs it: one database span per query at the issuing line (knex's,
// with no driver span doubling it), spans in the app's own files and never in another route's
// file, server spans on the registering line of prefixed plugin routes whose handlers return
// values, one endpoint per route, the N+1 and the slow query at their lines, the TypeError
// thrown deep in a helper grouped once per request at its throw line.
import { strict as assert } from 'node:assert';
import { eventually, startRealCollector, type RealCollector } from '../../harness/realCollector';
import { otelEnv, spawnApp, type RunningApp } from '../register/spawnApp';
import type { SpanView } from '../../../collector/live/protocol';
import { lineOf, sendTraffic, type Request } from './appTraffic';
import { FASTIFY_KNEX, FASTIFY_KNEX_ROUTES, fastifyHandlerOf, fastifyKnexTraffic } from './fastifyKnexTraffic';

const rel = (f: string) => f.slice(FASTIFY_KNEX.length + 1);
const at = (l?: { file: string; line: number }) => (l ? `${rel(l.file)}:${l.line}` : 'nowhere');
const line = (file: string, text: string) => `${file}:${lineOf(FASTIFY_KNEX, file, text)}`;
const isDb = (s: SpanView) => s.attributes['db.system.name'] !== undefined || s.attributes['db.system'] !== undefined;

describe('vibewatch/register on a Fastify + knex + SQLite app (console bridge off)', function () {
  this.timeout(90_000);
  let collector: RealCollector;
  let app: RunningApp;
  let requests: Request[];
  let statuses: number[];
  let spans: SpanView[];

  before(async () => {
    collector = await startRealCollector({
      workspace: FASTIFY_KNEX,
      flags: { 'analysis-settings': JSON.stringify({ tickIntervalMs: 200, flushIntervalMs: 200, traceQuietMs: 300 }) },
    });
    app = await spawnApp('index.js', {
      cwd: FASTIFY_KNEX,
      timeoutMs: 60_000,
      env: { ...otelEnv(collector.url), PORT: '0', OTEL_SERVICE_NAME: 'blog', VIBEWATCH_CONSOLE_LOGS: '0' },
    });
    requests = fastifyKnexTraffic();
    statuses = await sendTraffic(app.port, requests);
    const traces = await eventually('a trace per request', async () => {
      const t = (await collector.client.request('traces', { limit: 1000, service: 'blog' })).filter((x) => / \/api\//.test(x.rootName));
      return t.length >= requests.length && t;
    }, 30_000);
    spans = [];
    for (const t of traces) spans.push(...(await collector.client.request('trace', { traceId: t.traceId })));
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
  });

  const routeOfTrace = (traceId: string): string | undefined => {
    const server = spans.find((s) => s.traceId === traceId && s.kind === 2);
    if (!server) return undefined;
    const a = server.attributes;
    const method = String(a['http.request.method'] ?? a['http.method']);
    const path = String(a['url.path'] ?? a['http.target'] ?? '').split('?')[0];
    return requests.find((r) => r.method === method && r.path.split('?')[0] === path)?.route;
  };

  it('answers the scripted traffic as the app is written to (the faults are there)', () => {
    const count = (route: string, status: number) => requests.filter((r, i) => r.route === route && statuses[i] === status).length;
    assert.equal(count('GET /api/authors/:name/summary', 500), 2, 'the TypeError for the author without a bio');
    assert.equal(count('GET /api/articles/:slug', 404), 4, 'reply.code(404) for a missing article');
    assert.equal(count('POST /api/articles', 400), 2, 'schema validation');
    assert.equal(count('POST /api/articles', 201), 6);
  });

  it('sends one database span per query, at the line that issued it, and no driver span beside it', () => {
    const db = spans.filter((s) => isDb(s) && routeOfTrace(s.traceId));
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const doubled = db.filter((s) => s.parentSpanId && byId.get(s.parentSpanId) && isDb(byId.get(s.parentSpanId)!));
    assert.deepEqual(doubled.map((s) => `${s.name} under ${byId.get(s.parentSpanId!)!.name}`), [], 'a database span under another one counts the query twice');
    const fromList = db.filter((q) => routeOfTrace(q.traceId) === 'GET /api/articles');
    assert.equal(fromList.length, 5 + 2 * (10 + 11 + 12 + 13 + 14), 'the list, then author and comment count per article');
    const lines = new Map<string, number>();
    for (const q of fromList) lines.set(at(q.location), (lines.get(at(q.location)) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(lines), {
      [line('routes/articles.js', "await knex('articles').orderBy(")]: 5,
      [line('routes/articles.js', "await knex('authors').where({ id: article.author_id })")]: 60,
      [line('routes/articles.js', "await knex('comments').where({ article_id: article.id }).count(")]: 60,
    });
    const summary = db.filter((q) => routeOfTrace(q.traceId) === 'GET /api/authors/:name/summary').map((q) => at(q.location));
    assert.deepEqual([...new Set(summary)].sort(), [line('routes/authors.js', "knex('authors').where('name', request.params.name)"), line('routes/authors.js', ".select('tag')")].sort());
  });

  it('places ≥ 95 % of the request spans in the app\'s own files and none in another route\'s file', () => {
    let placed = 0;
    const wrong: string[] = [];
    const routeFiles = new Set(Object.values(FASTIFY_KNEX_ROUTES).map(([f]) => f));
    const mine = spans.filter((s) => routeOfTrace(s.traceId));
    for (const s of mine) {
      const loc = s.location;
      if (loc?.file.startsWith(FASTIFY_KNEX + '/')) placed++;
      const routeFile = FASTIFY_KNEX_ROUTES[routeOfTrace(s.traceId)!][0];
      if (loc && routeFiles.has(rel(loc.file)) && rel(loc.file) !== routeFile) wrong.push(`${s.name} of ${routeOfTrace(s.traceId)} at ${at(loc)}`);
    }
    assert.deepEqual(wrong, [], 'spans in another route\'s file');
    const unplaced = [...new Set(mine.filter((s) => !s.location?.file.startsWith(FASTIFY_KNEX + '/')).map((s) => s.name))].slice(0, 10);
    assert.ok(placed / mine.length >= 0.95, `${placed} of ${mine.length} spans placed in the app; unplaced: ${unplaced.join(', ')}`);
  });

  it('puts every server span on its route\'s registering line, whatever the outcome, and names one endpoint per route', () => {
    const servers = spans.filter((s) => s.kind === 2 && routeOfTrace(s.traceId));
    assert.equal(servers.length, requests.length);
    const misplaced = servers.filter((s) => at(s.location) !== at(fastifyHandlerOf(routeOfTrace(s.traceId)!)));
    assert.deepEqual(misplaced.map((s) => `${s.name} (${s.attributes['http.response.status_code']}) at ${at(s.location)}`), []);
    // http.route is the template with the plugin's prefix (Fastify drops the trailing '/' of '/api/articles' + '/').
    const names = new Set(servers.map((s) => `${s.attributes['http.request.method']} ${s.attributes['http.route']}`));
    assert.deepEqual([...names].sort(), Object.keys(FASTIFY_KNEX_ROUTES).sort());
  });

  it('finds the N+1 at the loop\'s issuing lines and the slow query at its line', async () => {
    const findings = await eventually('N+1 and slow-query findings', async () => {
      const f = await collector.client.request('findings', {});
      return f.filter((x) => x.kind === 'nPlusOne').length >= 2 && f.some((x) => x.kind === 'slowQuery' && /RECURSIVE/i.test(x.statement)) && f;
    });
    assert.deepEqual(findings.filter((f) => f.kind === 'nPlusOne').map((f) => at(f.location)).sort(), [
      line('routes/articles.js', "await knex('authors').where({ id: article.author_id })"),
      line('routes/articles.js', "await knex('comments').where({ article_id: article.id }).count("),
    ].sort());
    // Only the CTE is slow by design (a sub-millisecond query stalled by a loaded machine may be too).
    const slow = findings.filter((f) => f.kind === 'slowQuery' && /RECURSIVE/i.test(f.statement));
    assert.deepEqual(slow.map((f) => at(f.location)), [line('routes/stats.js', 'await knex.raw(')], 'one finding for the recursive CTE, at its line');
  });

  it('groups the TypeError thrown in a helper once per failing request at its throw line, with nothing logged', async () => {
    const failing = requests.filter((r, i) => r.route === 'GET /api/authors/:name/summary' && statuses[i] === 500).length;
    const groups = await eventually('the TypeError group', async () => {
      const g = await collector.client.request('errors', {});
      return g.some((x) => x.type === 'TypeError' && x.count >= failing) && g;
    });
    const typeErrors = groups.filter((g) => g.type === 'TypeError');
    assert.equal(typeErrors.length, 1, typeErrors.map((g) => `${g.title} ×${g.count} at ${at(g.location)}`).join('; '));
    assert.equal(typeErrors[0].count, failing, 'once per failing request');
    assert.equal(at(typeErrors[0].location), line('lib/summary.js', 'return text.split('));
    // The only other group is Fastify's schema validation (thrown by Fastify for the route),
    // at the route declaring the schema; answers the app gives with reply.code are no errors.
    const others = groups.filter((g) => g.type !== 'TypeError');
    assert.deepEqual(others.map((g) => `${g.type} at ${at(g.location)}`), [`FST_ERR_VALIDATION at ${at(fastifyHandlerOf('POST /api/articles'))}`]);
  });
});
