// Issue #18's measure: a realistic Express + Sequelize app on a real PostgreSQL, instrumented
// with the plain OpenTelemetry SDK and its auto-instrumentations only (no Vibewatch code, no
// code.* attributes). The collector must place server and handler spans at the handler that
// served them (route table from the app's source), attribute queries to the handler that
// issued them, and count every call on the handler's line.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { startPostgres, type Postgres } from '../../harness/postgres';
import { eventually, startRealCollector, type RealCollector } from '../../harness/realCollector';
import { spawnApp, type RunningApp } from '../register/spawnApp';
import type { SpanView } from '../../../collector/live/protocol';
import { EXPRESS_SEQUELIZE, EXPRESS_SEQUELIZE_ROUTES, expressSequelizeTraffic, handlerOf, sendTraffic, type Request } from './appTraffic';

const at = (l?: { file: string; line: number }) => (l ? `${l.file.slice(EXPRESS_SEQUELIZE.length + 1)}:${l.line}` : 'nowhere');

describe('plain OpenTelemetry SDK on an Express + Sequelize + PostgreSQL app (no register)', function () {
  this.timeout(120_000);
  let pg: Postgres;
  let collector: RealCollector;
  let app: RunningApp;
  let requests: Request[];
  let spans: SpanView[];

  before(async () => {
    pg = await startPostgres();
    const databaseUrl = pg.createDatabase('conduit_plain');
    collector = await startRealCollector({
      workspace: EXPRESS_SEQUELIZE,
      flags: { 'analysis-settings': JSON.stringify({ tickIntervalMs: 200, flushIntervalMs: 200, traceQuietMs: 300 }) },
    });
    app = await spawnApp('index.js', {
      cwd: EXPRESS_SEQUELIZE,
      instrument: false,
      timeoutMs: 60_000,
      env: {
        NODE_OPTIONS: `--require ${join(EXPRESS_SEQUELIZE, 'tracing.js')}`,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
    });
    requests = expressSequelizeTraffic();
    await sendTraffic(app.port, requests);
    const traces = await eventually(
      'a trace per request',
      async () => {
        const t = await collector.client.request('traces', { limit: 1000, service: 'conduit' });
        return t.filter((x) => x.rootName.startsWith('GET /api') || x.rootName.startsWith('POST /api')).length >= requests.length && t;
      },
      30_000,
    );
    spans = [];
    for (const t of traces) spans.push(...(await collector.client.request('trace', { traceId: t.traceId })));
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    await pg?.stop();
  });

  /** The route a server span served, from the request the test sent (the truth). */
  function routeOf(server: SpanView): string | undefined {
    const a = server.attributes;
    const method = String(a['http.request.method'] ?? a['http.method']);
    const path = String(a['url.path'] ?? a['http.target'] ?? '').split('?')[0];
    return requests.find((r) => r.method === method && r.path.split('?')[0] === path)?.route;
  }

  it('places ≥ 90 % of server and request-handler spans at the handler that served them', () => {
    const servers = spans.filter((s) => s.kind === 2 && routeOf(s));
    assert.equal(servers.length, requests.length, 'one server span per request');
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const serverOf = (s: SpanView): SpanView | undefined => {
      for (let p = s.parentSpanId && byId.get(s.parentSpanId); p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) if (p.kind === 2) return p;
      return undefined;
    };
    const handlers = spans.filter((s) => s.attributes['express.type'] === 'request_handler' && serverOf(s));
    assert.ok(handlers.length >= requests.length, `${handlers.length} request-handler spans`);
    const wrong: string[] = [];
    let right = 0;
    for (const s of [...servers, ...handlers]) {
      const route = routeOf(s.kind === 2 ? s : serverOf(s)!)!;
      const want = handlerOf(EXPRESS_SEQUELIZE, route);
      if (s.location?.file === want.file && s.location.line === want.line) right++;
      else wrong.push(`${s.name} (${route}) at ${at(s.location)}, want ${at(want)}`);
    }
    const share = right / (servers.length + handlers.length);
    if (process.env.VIBEWATCH_REPORT) console.log(`placed ${right} of ${servers.length + handlers.length}; unplaced: ${wrong.join("; ")}`);
    assert.ok(share >= 0.9, `${(share * 100).toFixed(1)} % placed; misplaced: ${wrong.slice(0, 8).join('; ')}`);
    // Nothing lands in a file that does not declare the route.
    assert.deepEqual(wrong.filter((w) => !/ at nowhere,/.test(w)), [], 'no span placed at another handler');
  });

  it('gives every query the handler that issued it (issued from), with one DB span per query', () => {
    const queries = spans.filter((s) => (s.attributes['db.system.name'] ?? s.attributes['db.system']) === 'postgresql' && /^pg\.query/.test(s.name));
    assert.ok(queries.length > requests.length, `${queries.length} postgres spans`);
    const withHandler = queries.filter((q) => q.location || q.issuedFrom);
    // Queries of the app's start-up (sync, seed) have no request and no handler.
    const inRequests = queries.filter((q) => spans.some((s) => s.traceId === q.traceId && s.kind === 2));
    assert.ok(withHandler.length >= inRequests.length, `${withHandler.length} of ${inRequests.length} request queries attributed`);
    const listHandler = handlerOf(EXPRESS_SEQUELIZE, 'GET /api/articles');
    // The SELECTs (a new pool connection also runs Sequelize's SET statements).
    const fromList = queries.filter((q) => q.issuedFrom?.file === listHandler.file && q.issuedFrom.line === listHandler.line && /^SELECT/.test(String(q.attributes['db.query.text'])));
    // 6 list requests of 12..17 articles: the list, then author and comment count per article.
    assert.equal(fromList.length, 6 * 1 + 2 * (12 + 13 + 14 + 15 + 16 + 17));
  });

  it('places the N+1 and the slow query at the handler that issued them', async () => {
    const list = handlerOf(EXPRESS_SEQUELIZE, 'GET /api/articles');
    const feed = handlerOf(EXPRESS_SEQUELIZE, 'GET /api/articles/feed');
    const findings = await eventually('N+1 and slow-query findings', async () => {
      const f = await collector.client.request('findings', {});
      return f.some((x) => x.kind === 'nPlusOne') && f.some((x) => x.kind === 'slowQuery') && f;
    });
    const nPlusOne = findings.filter((f) => f.kind === 'nPlusOne');
    assert.ok(nPlusOne.length >= 1);
    for (const f of nPlusOne) assert.equal(at(f.location), at(list), `N+1 ${f.statement}`);
    const slow = findings.filter((f) => f.kind === 'slowQuery');
    assert.ok(slow.some((f) => /pg_sleep/.test(f.statement)), slow.map((f) => f.statement).join('; '));
    for (const f of slow.filter((x) => /pg_sleep/.test(x.statement))) assert.equal(at(f.location), at(feed), `slow query ${f.statement}`);
  });

  it('counts every call of a handler on its line, failing or not', async () => {
    for (const key of ['GET /api/articles/:slug', 'GET /api/profiles/:username/boom', 'POST /api/users/login']) {
      const want = handlerOf(EXPRESS_SEQUELIZE, key);
      const sent = requests.filter((r) => r.route === key).length;
      const summary = await collector.client.request('fileSummary', { file: want.file });
      const line = summary.lines.find((l) => l.line === want.line && l.kind === 'span');
      assert.equal(line?.calls, sent, `${key}: lens calls at ${at(want)}`);
    }
    const boom = handlerOf(EXPRESS_SEQUELIZE, 'GET /api/profiles/:username/boom');
    const line = (await collector.client.request('fileSummary', { file: boom.file })).lines.find((l) => l.line === boom.line && l.kind === 'span');
    assert.equal(line?.errors, 5, 'the 5 failing boom calls are the errors (HTTP 500)');
  });

  it('keeps one endpoint name per route', () => {
    const names = new Set(spans.filter((s) => s.kind === 2 && routeOf(s)).map((s) => `${s.attributes['http.method'] ?? s.attributes['http.request.method']} ${s.attributes['http.route']}`));
    assert.deepEqual([...names].sort(), Object.keys(EXPRESS_SEQUELIZE_ROUTES).sort());
  });
});
