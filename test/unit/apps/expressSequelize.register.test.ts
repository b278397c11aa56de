// Issue #17's measure on the realistic Express + Sequelize + PostgreSQL app, run unchanged
// under `vibewatch/register` (console bridge off, nothing logged by the app) against the
// collector as the extension runs it: database spans for every query at the issuing line,
// spans in the app's own files and never in another handler's file, one endpoint per route,
// the N+1 and the slow query at their lines, every 5xx error grouped once at its throw line.
import { strict as assert } from 'node:assert';
import { startPostgres, type Postgres } from '../../harness/postgres';
import { eventually, startRealCollector, type RealCollector } from '../../harness/realCollector';
import { otelEnv, spawnApp, type RunningApp } from '../register/spawnApp';
import type { SpanView } from '../../../collector/live/protocol';
import { EXPRESS_SEQUELIZE, EXPRESS_SEQUELIZE_ROUTES, expressSequelizeTraffic, handlerOf, lineOf, sendTraffic, type Request } from './appTraffic';
import { join } from 'node:path';

const rel = (f: string) => f.slice(EXPRESS_SEQUELIZE.length + 1);
const at = (l?: { file: string; line: number }) => (l ? `${rel(l.file)}:${l.line}` : 'nowhere');
const line = (file: string, text: string) => `${file}:${lineOf(EXPRESS_SEQUELIZE, file, text)}`;

describe('vibewatch/register on an Express + Sequelize + PostgreSQL app (console bridge off)', function () {
  this.timeout(120_000);
  let pg: Postgres;
  let collector: RealCollector;
  let app: RunningApp;
  let requests: Request[];
  let statuses: number[];
  let spans: SpanView[];

  before(async () => {
    pg = await startPostgres();
    const databaseUrl = pg.createDatabase('conduit_register');
    collector = await startRealCollector({
      workspace: EXPRESS_SEQUELIZE,
      flags: { 'analysis-settings': JSON.stringify({ tickIntervalMs: 200, flushIntervalMs: 200, traceQuietMs: 300 }) },
    });
    app = await spawnApp('index.js', {
      cwd: EXPRESS_SEQUELIZE,
      timeoutMs: 60_000,
      env: { ...otelEnv(collector.url), DATABASE_URL: databaseUrl, PORT: '0', OTEL_SERVICE_NAME: 'conduit', VIBEWATCH_CONSOLE_LOGS: '0' },
    });
    requests = expressSequelizeTraffic();
    statuses = await sendTraffic(app.port, requests);
    const traces = await eventually('a trace per request', async () => {
      const t = await collector.client.request('traces', { limit: 1000, service: 'conduit' });
      return t.filter((x) => / \/api\//.test(x.rootName)).length >= requests.length && t.filter((x) => / \/api\//.test(x.rootName));
    }, 30_000);
    spans = [];
    for (const t of traces) spans.push(...(await collector.client.request('trace', { traceId: t.traceId })));
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    await pg?.stop();
  });

  const routeOfTrace = (traceId: string): string | undefined => {
    const server = spans.find((s) => s.traceId === traceId && s.kind === 2);
    if (!server) return undefined;
    const a = server.attributes;
    const method = String(a['http.request.method'] ?? a['http.method']);
    const path = String(a['url.path'] ?? a['http.target'] ?? '').split('?')[0];
    return requests.find((r) => r.method === method && r.path.split('?')[0] === path)?.route;
  };

  it('sends a database span for every query, at the line that issued it', () => {
    const list = handlerOf(EXPRESS_SEQUELIZE, 'GET /api/articles');
    const queries = spans.filter((s) => s.kind === 3 && (s.attributes['db.system'] ?? s.attributes['db.system.name']) === 'postgresql' && /^SELECT/i.test(String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '')));
    const fromList = queries.filter((q) => routeOfTrace(q.traceId) === 'GET /api/articles');
    assert.equal(fromList.length, 6 * 1 + 2 * (12 + 13 + 14 + 15 + 16 + 17), 'the list, then author and comment count per article');
    const lines = new Map<string, number>();
    for (const q of fromList) lines.set(at(q.location), (lines.get(at(q.location)) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(lines), {
      [line('routes/articles.js', 'await Article.findAll(')]: 6,
      [line('routes/articles.js', 'await article.getAuthor()')]: 87,
      [line('routes/articles.js', 'await Comment.count(')]: 87,
    });
    assert.ok(list.line < lineOf(EXPRESS_SEQUELIZE, 'routes/articles.js', 'await article.getAuthor()'));
  });

  it('places ≥ 95 % of the request spans in the app\'s own files and none in another route\'s file', () => {
    let placed = 0;
    const wrong: string[] = [];
    const handlerFiles = new Set(Object.values(EXPRESS_SEQUELIZE_ROUTES).map(([f]) => f));
    for (const s of spans) {
      const route = routeOfTrace(s.traceId);
      if (!route) continue;
      const loc = s.location;
      if (loc?.file.startsWith(EXPRESS_SEQUELIZE + '/')) placed++;
      // Wrong: a file that declares other routes than this request's (a mount file such as
      // routes/index.js is where routers are mounted: right for router spans).
      const routeFile = EXPRESS_SEQUELIZE_ROUTES[route][0];
      if (loc && handlerFiles.has(rel(loc.file)) && rel(loc.file) !== routeFile) wrong.push(`${s.name} of ${route} at ${at(loc)}`);
    }
    const total = spans.filter((s) => routeOfTrace(s.traceId)).length;
    assert.deepEqual(wrong, [], 'spans in another route\'s file');
    assert.ok(placed / total >= 0.95, `${placed} of ${total} spans placed in the app (${((placed / total) * 100).toFixed(1)} %); unplaced: ${[...new Set(spans.filter((s) => routeOfTrace(s.traceId) && !s.location).map((s) => s.name))].slice(0, 10).join(', ')}`);
  });

  it('puts every server span on its handler and names one endpoint per route', () => {
    const servers = spans.filter((s) => s.kind === 2 && routeOfTrace(s.traceId));
    assert.equal(servers.length, requests.length);
    const misplaced = servers.filter((s) => at(s.location) !== at(handlerOf(EXPRESS_SEQUELIZE, routeOfTrace(s.traceId)!)));
    assert.deepEqual(misplaced.map((s) => `${s.name} at ${at(s.location)}`), []);
    const names = new Set(servers.map((s) => `${s.attributes['http.request.method'] ?? s.attributes['http.method']} ${s.attributes['http.route']}`));
    assert.deepEqual([...names].sort(), Object.keys(EXPRESS_SEQUELIZE_ROUTES).sort());
  });

  it('finds the N+1 at the loop\'s issuing lines and the slow query at its line', async () => {
    const findings = await eventually('N+1 and slow-query findings', async () => {
      const f = await collector.client.request('findings', {});
      return f.filter((x) => x.kind === 'nPlusOne').length >= 2 && f.some((x) => x.kind === 'slowQuery' && /pg_sleep/.test(x.statement)) && f;
    });
    assert.deepEqual(findings.filter((f) => f.kind === 'nPlusOne').map((f) => at(f.location)).sort(), [line('routes/articles.js', 'await article.getAuthor()'), line('routes/articles.js', 'await Comment.count(')].sort());
    const slow = findings.filter((f) => f.kind === 'slowQuery' && /pg_sleep/.test(f.statement));
    assert.deepEqual(slow.map((f) => at(f.location)), [line('routes/articles.js', 'await sequelize.query(')]);
  });

  it('groups every error the app answers with a 500 once per request, at its throw line, with nothing logged', async () => {
    const boomCalls = requests.filter((r, i) => r.route === 'GET /api/profiles/:username/boom' && statuses[i] === 500).length;
    assert.equal(boomCalls, 5);
    const groups = await eventually('the TypeError group', async () => {
      const g = await collector.client.request('errors', {});
      return g.some((x) => x.type === 'TypeError' && x.count >= boomCalls) && g;
    });
    const typeErrors = groups.filter((g) => g.type === 'TypeError');
    assert.equal(typeErrors.length, 1, typeErrors.map((g) => `${g.title} ×${g.count} at ${at(g.location)}`).join('; '));
    assert.equal(typeErrors[0].count, boomCalls, 'once per failing request');
    assert.equal(at(typeErrors[0].location), line('routes/profiles.js', 'bioLength: user.bio.length'));
    // Any other group (4xx the app threw and answered) is at a line that throws or validates.
    for (const g of groups.filter((x) => x.type !== 'TypeError')) {
      const file = g.location && join(EXPRESS_SEQUELIZE, rel(g.location.file));
      assert.ok(file && g.location!.file.startsWith(EXPRESS_SEQUELIZE), `${g.type} ${g.title} at ${at(g.location)}`);
    }
  });
});
