// Findings of spans that carry no location: placed at the handler that issued them, even when
// the handler's span arrives after its queries; an ORM span and its driver span are one query;
// one exception on several spans is one occurrence; a pg error is typed by its SQLSTATE name.
import { strict as assert } from 'node:assert';
import { context, trace, SpanKind } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { QueryAnalyzer } from '../../../../../collector/analysis/findings/queries';
import { Analyzer } from '../../../../../collector/analysis/analyzer';
import { extractExceptions } from '../../../../../collector/analysis/errors/exceptions';
import { SpanKind as ModelKind, type Span } from '../../../../../collector/model/types';
import { MemoryState, traced } from '../otelHelper';

const RESOURCE = { 'service.name': 'conduit', 'telemetry.sdk.language': 'nodejs' };
const SETTINGS = { slowQueryMs: 200, nPlusOneMin: 10, chattyHttpMin: 10, quietMs: 5000, maxTraces: 100, maxSpansPerTrace: 2000, maxStatements: 100 };
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const HANDLER = { file: '/w/routes/articles.js', line: 12, via: 'route' as const, confidence: 0.85 };

/** A handler that lists 12 articles and loads each author (knex span, pg child per query). */
function listArticles(tracer: Tracer): void {
  const root = tracer.startSpan('GET /api/articles', { kind: SpanKind.SERVER, startTime: T0, attributes: { 'http.route': '/api/articles', 'http.request.method': 'GET' } });
  const ctx = trace.setSpan(context.active(), root);
  let t = T0 + 1;
  for (let i = 0; i < 12; i++) {
    const k = tracer.startSpan('select conduit.users', { kind: SpanKind.CLIENT, startTime: t, attributes: { 'db.system': 'postgresql', 'db.statement': 'select * from "users" where "id" = ?' } }, ctx);
    const pg = tracer.startSpan('pg.query:SELECT conduit', { kind: SpanKind.CLIENT, startTime: t + 0.2, attributes: { 'db.system': 'postgresql', 'db.statement': 'select * from "users" where "id" = $1' } }, trace.setSpan(ctx, k));
    pg.end(t + 0.8);
    k.end(t + 1);
    t += 1;
  }
  const slow = tracer.startSpan('select', { kind: SpanKind.CLIENT, startTime: t, attributes: { 'db.system': 'postgresql', 'db.statement': 'select pg_sleep(0.3)' } }, ctx);
  slow.end(t + 300);
  root.end(t + 301);
}

function place(spans: Span[]): void {
  for (const s of spans) if (s.kind === ModelKind.Server) s.location = { ...HANDLER };
}

describe('findings of spans without a location of their own', () => {
  it('places the N+1 and the slow query at the handler even when the handler span arrives last', async () => {
    const batch = await traced(RESOURCE, listArticles);
    place(batch.spans);
    const qa = new QueryAnalyzer(SETTINGS);
    // Children first, as a batching SDK exports them across two batches.
    const server = batch.spans.filter((s) => s.kind === ModelKind.Server);
    for (const s of batch.spans.filter((x) => x.kind !== ModelKind.Server)) qa.observeSpan(s, 1000);
    for (const s of server) qa.observeSpan(s, 1500);
    qa.flush(10_000);
    const [n1] = qa.repeatedCalls();
    assert.equal(n1.kind, 'nPlusOne');
    assert.deepEqual([n1.location?.file, n1.location?.line], [HANDLER.file, HANDLER.line]);
    const [slow] = qa.slowQueries();
    assert.match(slow.statement, /pg_sleep/);
    assert.deepEqual([slow.location?.file, slow.location?.line], [HANDLER.file, HANDLER.line]);
  });

  it('counts a pg span under a knex span of the same statement as one query', async () => {
    const batch = await traced(RESOURCE, listArticles);
    const qa = new QueryAnalyzer({ ...SETTINGS, slowQueryMs: 0.01 });
    for (const s of batch.spans) qa.observeSpan(s, 1000);
    qa.flush(10_000);
    const users = qa.slowQueries().filter((f) => /users/.test(f.statement));
    assert.equal(users.length, 1, users.map((u) => u.statement).join(' | '));
    assert.equal(users[0].calls, 12);
    assert.equal(qa.repeatedCalls()[0].maxRepeats, 12);
  });
});

describe('exceptions recorded more than once, database errors', () => {
  const stack = 'Error: Article not found\n    at ArticlesService.find (/w/src/articles.service.ts:40:11)';

  it('counts one exception recorded on two spans of a trace (same type, message and stack) once', async () => {
    const batch = await traced(RESOURCE, (tr) => {
      const root = tr.startSpan('GET /api/articles/:slug', { kind: SpanKind.SERVER, startTime: T0 });
      const h = tr.startSpan('ArticlesController.find', { startTime: T0 + 1 }, trace.setSpan(context.active(), root));
      for (const s of [h, root]) s.addEvent('exception', { 'exception.type': 'NotFoundException', 'exception.message': 'Article not found', 'exception.stacktrace': stack }, T0 + 2);
      h.end(T0 + 3);
      root.end(T0 + 4);
    });
    const a = new Analyzer({ state: new MemoryState(), now: () => T0 + 10_000 });
    a.observe(batch);
    a.flush(T0 + 10_000);
    const groups = a.features.errors.list();
    assert.equal(groups.length, 1);
    assert.equal(groups[0].count, 1);
  });

  it('still counts the same exception in two different traces twice', async () => {
    const one = () => traced(RESOURCE, (tr) => {
      const root = tr.startSpan('GET /x', { kind: SpanKind.SERVER, startTime: T0 });
      root.addEvent('exception', { 'exception.type': 'NotFoundException', 'exception.message': 'Article not found', 'exception.stacktrace': stack }, T0 + 2);
      root.end(T0 + 4);
    });
    const a = new Analyzer({ state: new MemoryState(), now: () => T0 + 10_000 });
    a.observe(await one());
    a.observe(await one());
    a.flush(T0 + 10_000);
    assert.equal(a.features.errors.list()[0].count, 2);
  });

  it('types a pg error by its condition name and keeps the SQL state as detail', async () => {
    const batch = await traced(RESOURCE, (tr) => {
      const s = tr.startSpan('pg.query:SELECT', { kind: SpanKind.CLIENT, startTime: T0, attributes: { 'db.system': 'postgresql', 'db.statement': 'selec 1' } });
      s.recordException(Object.assign(new Error('syntax error at or near "selec"'), { name: 'error', code: '42601' }), T0 + 1);
      s.end(T0 + 2);
    });
    const [occ] = extractExceptions(batch);
    assert.equal(occ.type, 'syntax_error');
    assert.equal(occ.detail, 'SQLSTATE 42601');
  });

  it('leaves a code-like type alone on a span that is not a database call', async () => {
    const batch = await traced(RESOURCE, (tr) => {
      const s = tr.startSpan('charge', { startTime: T0 });
      s.recordException(Object.assign(new Error('card declined'), { code: '40001' }), T0 + 1);
      s.end(T0 + 2);
    });
    assert.equal(extractExceptions(batch)[0].type, '40001');
  });
});
