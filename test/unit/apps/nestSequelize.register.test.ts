// Issue #17's measure on the realistic NestJS 10 (Express platform, global prefix, decorator
// routes, handlers that return values) + Sequelize 6 + PostgreSQL app, compiled with tsc and
// run from dist/*.js under the bundled `vibewatch/register`, console bridge off, against the
// collector as the extension runs it. Every location must come out at a src/*.ts line.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres, type Postgres } from '../../harness/postgres';
import { eventually, startRealCollector, type RealCollector } from '../../harness/realCollector';
import { otelEnv, spawnApp, type RunningApp } from '../register/spawnApp';
import type { SpanView } from '../../../collector/live/protocol';
import type { RepeatedCallFinding } from '../../../collector/analysis/types';
import { lineOf, sendTraffic, type Request } from './appTraffic';
import { buildNestApp, NEST_FILES_OF_CONTROLLER, NEST_ROUTES, NEST_SEQUELIZE, nestTraffic, type BuiltNestApp } from './nestApp';

// Lines are read from the app's source in the repository (the compiled copy has the same src/).
const line = (file: string, text: string) => `${file}:${lineOf(NEST_SEQUELIZE, file, text)}`;
const ARTICLES = 'src/articles/articles.service.ts';
const PROFILES = 'src/profiles/profiles.service.ts';

describe('vibewatch/register on a NestJS + Sequelize + PostgreSQL app compiled with tsc (console bridge off)', function () {
  this.timeout(150_000);
  let built: BuiltNestApp;
  let pg: Postgres;
  let collector: RealCollector;
  let app: RunningApp;
  let requests: Request[];
  let statuses: number[];
  let spans: SpanView[];
  const rel = (f: string) => (f.startsWith(built.dir + '/') ? f.slice(built.dir.length + 1) : f);
  const at = (l?: { file: string; line: number }) => (l ? `${rel(l.file)}:${l.line}` : 'nowhere');

  before(async () => {
    const [b, p] = await Promise.all([buildNestApp(), startPostgres()]);
    built = b;
    pg = p;
    const databaseUrl = pg.createDatabase('nest_conduit');
    collector = await startRealCollector({
      workspace: built.dir,
      // A trace is analysed 1.5 s after its last span (5 s by default): with less, on a loaded
      // machine the handler span can arrive after its queries were analysed, and the N+1
      // shows once more "under (parent not received)".
      flags: { 'analysis-settings': JSON.stringify({ tickIntervalMs: 200, flushIntervalMs: 200, traceQuietMs: 1500 }) },
    });
    app = await spawnApp(join('dist', 'main.js'), {
      cwd: built.dir,
      instrument: false,
      timeoutMs: 60_000,
      env: { ...otelEnv(collector.url), NODE_OPTIONS: `--require ${built.register}`, DATABASE_URL: databaseUrl, PORT: '0', OTEL_SERVICE_NAME: 'nest-conduit', VIBEWATCH_CONSOLE_LOGS: '0' },
    });
    requests = nestTraffic();
    statuses = await sendTraffic(app.port, requests);
    const traces = await eventually('a trace per request', async () => {
      const t = await collector.client.request('traces', { limit: 1000, service: 'nest-conduit' });
      const api = t.filter((x) => / \/api\//.test(x.rootName));
      return api.length >= requests.length && api;
    }, 30_000);
    spans = [];
    for (const t of traces) spans.push(...(await collector.client.request('trace', { traceId: t.traceId })));
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    await pg?.stop();
    built?.remove();
  });

  const indexOfTrace = (traceId: string): number => {
    const server = spans.find((s) => s.traceId === traceId && s.kind === 2);
    if (!server) return -1;
    const a = server.attributes;
    const method = String(a['http.request.method'] ?? a['http.method']);
    const target = a['http.target'] !== undefined ? String(a['http.target']) : `${a['url.path']}${a['url.query'] ? `?${a['url.query']}` : ''}`;
    return requests.findIndex((r) => r.method === method && r.path === target);
  };
  const routeOfTrace = (traceId: string): string | undefined => requests[indexOfTrace(traceId)]?.route;
  const handlerAt = (route: string) => line(NEST_ROUTES[route][0], NEST_ROUTES[route][1]);

  it('answers the scripted traffic as the app is written (returned values, 4xx, the 500)', () => {
    const byStatus = new Map<number, number>();
    for (const s of statuses) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(byStatus), { 200: 55, 201: 9, 400: 3, 404: 12, 500: 5 }, app.stderr().slice(-2000));
  });

  it('sends a database span for every query, at the service line that issued it', () => {
    const queries = spans.filter((s) => s.kind === 3 && (s.attributes['db.system'] ?? s.attributes['db.system.name']) === 'postgresql' && /^SELECT/i.test(String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '')));
    const fromList = queries.filter((q) => routeOfTrace(q.traceId) === 'GET /api/articles');
    assert.equal(fromList.length, 6 * 1 + 2 * (12 + 13 + 14 + 15 + 16 + 17), 'the list, then author and comment count per article');
    const lines = new Map<string, number>();
    for (const q of fromList) lines.set(at(q.location), (lines.get(at(q.location)) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(lines), {
      [line(ARTICLES, 'await Article.findAll(')]: 6,
      [line(ARTICLES, 'await article.getAuthor()')]: 87,
      [line(ARTICLES, 'await Comment.count(')]: 87,
    });
    // Every query of every request: at a line of the service of its controller.
    const elsewhere = queries.filter((q) => routeOfTrace(q.traceId) && !NEST_FILES_OF_CONTROLLER[NEST_ROUTES[routeOfTrace(q.traceId)!][0]].includes(rel(q.location?.file ?? '')));
    assert.deepEqual(elsewhere.map((q) => `${routeOfTrace(q.traceId)}: ${q.name} at ${at(q.location)}`), []);
  });

  it('places ≥ 95 % of the request spans at src/*.ts lines and none in another controller\'s files', () => {
    let placed = 0;
    let total = 0;
    const wrong: string[] = [];
    const routeFiles = new Set(Object.values(NEST_FILES_OF_CONTROLLER).flat());
    for (const s of spans) {
      const route = routeOfTrace(s.traceId);
      if (!route) continue;
      total++;
      const loc = s.location;
      if (!loc) continue;
      const file = rel(loc.file);
      if (loc.file.startsWith(built.dir + '/src/') && file.endsWith('.ts')) placed++;
      // Wrong: compiled code (not mapped back), or the controller or service of another route
      // (main.ts, where Nest mounted Express's middleware during app.listen(), is right for those).
      const mine = NEST_FILES_OF_CONTROLLER[NEST_ROUTES[route][0]];
      if (!file.endsWith('.ts') || (routeFiles.has(file) && !mine.includes(file))) wrong.push(`${s.name} of ${route} at ${at(loc)}`);
    }
    const unplaced = [...new Set(spans.filter((s) => routeOfTrace(s.traceId) && !s.location).map((s) => s.name))];
    assert.deepEqual(wrong, [], 'spans in another controller\'s files (or not source-mapped)');
    assert.ok(placed / total >= 0.95, `${placed} of ${total} spans placed in the app (${((placed / total) * 100).toFixed(1)} %); unplaced: ${unplaced.slice(0, 10).join(', ')}`);
  });

  it('puts every server span on its route decorator and names one endpoint per route', () => {
    const servers = spans.filter((s) => s.kind === 2 && routeOfTrace(s.traceId));
    assert.equal(servers.length, requests.length);
    const misplaced = servers.filter((s) => at(s.location) !== handlerAt(routeOfTrace(s.traceId)!));
    assert.deepEqual(misplaced.map((s) => `${s.name} (${routeOfTrace(s.traceId)}) at ${at(s.location)}`), []);
    const names = new Set(servers.map((s) => `${s.attributes['http.request.method'] ?? s.attributes['http.method']} ${s.attributes['http.route']}`));
    assert.deepEqual([...names].sort(), Object.keys(NEST_ROUTES).sort());
  });

  it('puts the Express middleware Nest mounts itself at the app line that made it mount them (app.listen)', () => {
    const middleware = spans.filter((s) => s.name.startsWith('middleware - ') && routeOfTrace(s.traceId));
    assert.equal(middleware.length, 4 * requests.length, 'query, expressInit and the two body parsers per request');
    assert.deepEqual([...new Set(middleware.map((s) => at(s.location)))], [line('src/main.ts', 'await app.listen(')]);
  });

  it('puts Nest\'s own handler spans on the route decorator too', () => {
    const nest = spans.filter((s) => s.attributes['component'] === '@nestjs/core' && routeOfTrace(s.traceId));
    assert.ok(nest.length >= 2 * requests.length, `${nest.length} Nest spans`);
    const misplaced = nest.filter((s) => at(s.location) !== handlerAt(routeOfTrace(s.traceId)!));
    assert.deepEqual(misplaced.map((s) => `${s.name} at ${at(s.location)}`), []);
  });

  it('finds the N+1 at the loop\'s issuing lines and the slow query at its line', async () => {
    const findings = await eventually('N+1 and slow-query findings', async () => {
      const f = await collector.client.request('findings', {});
      return f.filter((x) => x.kind === 'nPlusOne').length >= 2 && f.some((x) => x.kind === 'slowQuery' && /pg_sleep/.test(x.statement)) && f;
    });
    // The seed's insert loop at startup is an N+1 too (found, and not a request's).
    const requestFindings = findings.filter((f) => !at(f.location).startsWith('src/database/seed.ts:'));
    const nPlusOne = requestFindings.filter((f): f is RepeatedCallFinding => f.kind === 'nPlusOne');
    assert.deepEqual(nPlusOne.map((f) => at(f.location)).sort(), [line(ARTICLES, 'await article.getAuthor()'), line(ARTICLES, 'await Comment.count(')].sort(), nPlusOne.map((f) => `${f.statement} under ${f.parentName} ×${f.occurrences}`).join('; '));
    const slow = findings.filter((f) => f.kind === 'slowQuery' && /pg_sleep/.test(f.statement));
    assert.deepEqual(slow.map((f) => at(f.location)), [line(ARTICLES, 'await this.sequelize.query<')]);
  });

  it('sends Nest Logger lines with their request\'s trace, at the .ts line that logged them', async () => {
    const listTraces = new Set(spans.filter((s) => s.kind === 2 && routeOfTrace(s.traceId) === 'GET /api/articles').map((s) => s.traceId));
    const logs = await eventually('the list handler\'s log lines', async () => {
      const l = await collector.client.request('logs', { service: 'nest-conduit', text: 'listed', limit: 100 });
      return l.length >= listTraces.size && l;
    });
    assert.deepEqual(logs.map((l) => listTraces.has(l.traceId ?? '')), logs.map(() => true), 'each in its request\'s trace');
    assert.deepEqual([...new Set(logs.map((l) => at(l.location)))], [line(ARTICLES, 'this.logger.log(`listed')]);
    assert.deepEqual([...new Set(logs.map((l) => l.attributes['nest.context']))], ['ArticlesService']);
  });

  it('groups every thrown error once per request at its throw line, with the console bridge off', async () => {
    // What each failing request threw, and where: from the traffic and its answers.
    const expected = new Map<string, number>();
    const add = (key: string) => expected.set(key, (expected.get(key) ?? 0) + 1);
    requests.forEach((r, i) => {
      if (statuses[i] < 400) return;
      if (r.route === 'GET /api/profiles/:username/boom') add(`TypeError ${line(PROFILES, 'bioLength: user.bio!.length')}`);
      else if (r.route === 'GET /api/profiles/:username') add(`NotFoundException ${line(PROFILES, 'throw new NotFoundException(`profile')}`);
      else if (r.route === 'GET /api/articles/:slug') add(`NotFoundException ${lineOfNth(ARTICLES, 'throw new NotFoundException(`article', 1)}`);
      else if (r.route === 'GET /api/articles/:slug/comments') add(`NotFoundException ${lineOfNth(ARTICLES, 'throw new NotFoundException(`article', 2)}`);
      else if (r.route === 'POST /api/articles' && statuses[i] === 400) add(`BadRequestException ${line(ARTICLES, 'throw new BadRequestException(')}`);
      else if (r.route === 'POST /api/articles') add(`NotFoundException ${line(ARTICLES, 'throw new NotFoundException(`author')}`);
      else assert.fail(`unexpected ${statuses[i]} for ${r.method} ${r.path}`);
    });
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    const groups = await eventually('an error group per throw line', async () => {
      const g = await collector.client.request('errors', {});
      return g.reduce((n, x) => n + x.count, 0) >= total && g;
    }, 20_000);
    const seen = new Map<string, number>();
    for (const g of groups) seen.set(`${g.type} ${at(g.location)}`, (seen.get(`${g.type} ${at(g.location)}`) ?? 0) + g.count);
    assert.deepEqual(Object.fromEntries([...seen].sort()), Object.fromEntries([...expected].sort()));
    const typeErrors = groups.filter((g) => g.type === 'TypeError');
    assert.equal(typeErrors.length, 1, 'one group for the TypeError');
  });
});

/** `file:line` of the `n`th (1-based) line of `file` containing `text`. */
function lineOfNth(file: string, text: string, n: number): string {
  const lines = readFileSync(join(NEST_SEQUELIZE, file), 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  if (hits.length < n) throw new Error(`${text} found ${hits.length} times in ${file}`);
  return `${file}:${hits[n - 1]}`;
}
