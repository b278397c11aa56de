// Our better-sqlite3 instrumentation against the real driver (in-memory database): one
// CLIENT span per prepare/run/get/all/iterate/exec, with the SQL and `sqlite` as system.
import { strict as assert } from 'node:assert';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BetterSqlite3Instrumentation } from '../../../register/betterSqlite3';

describe('better-sqlite3 instrumentation', () => {
  const exporter = new InMemorySpanExporter();
  const instrumentation = new BetterSqlite3Instrumentation();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  instrumentation.setTracerProvider(provider);
  // Required after the instrumentation hooked `require`, as in an app under --require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(':memory:');
  afterEach(() => exporter.reset());
  after(() => db.close());

  it('traces exec and each statement call with the SQL text and db.system sqlite', () => {
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)');
    const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
    insert.run('a');
    insert.run('b');
    const one = db.prepare('SELECT name FROM items WHERE id = ?');
    assert.deepEqual(one.get(2), { name: 'b' });
    assert.equal(db.prepare('SELECT * FROM items').all().length, 2);
    assert.equal([...db.prepare('SELECT id FROM items').iterate()].length, 2);
    const spans = exporter.getFinishedSpans();
    const calls = spans.map((s) => `${s.attributes['vibewatch.sqlite.call']} ${s.attributes['db.query.text']}`);
    assert.deepEqual(calls, [
      'exec CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)',
      'prepare INSERT INTO items (name) VALUES (?)',
      'run INSERT INTO items (name) VALUES (?)',
      'run INSERT INTO items (name) VALUES (?)',
      'prepare SELECT name FROM items WHERE id = ?',
      'get SELECT name FROM items WHERE id = ?',
      'prepare SELECT * FROM items',
      'all SELECT * FROM items',
      'prepare SELECT id FROM items',
      'iterate SELECT id FROM items',
    ]);
    for (const s of spans) {
      assert.equal(s.kind, SpanKind.CLIENT);
      assert.equal(s.attributes['db.system.name'], 'sqlite');
      assert.equal(s.attributes['db.system'], 'sqlite');
    }
    assert.equal(spans[5].name, 'SELECT items');
  });

  it('records a failing statement as an error span and rethrows', () => {
    assert.throws(() => db.exec('SELECT * FROM no_such_table'), /no such table/);
    const [span] = exporter.getFinishedSpans();
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.events[0]?.name, 'exception');
  });

  it('makes no span of its own under the query span of a query builder (one database span per query)', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const tracer = provider.getTracer('@opentelemetry/instrumentation-knex');
      db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY)');
      exporter.reset();
      const builder = tracer.startSpan('first notes', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'better-sqlite3', 'db.query.text': 'select * from notes' } });
      context.with(trace.setSpan(context.active(), builder), () => db.prepare('select * from notes').all());
      builder.end();
      const handler = tracer.startSpan('handler');
      context.with(trace.setSpan(context.active(), handler), () => db.prepare('SELECT id FROM notes').get());
      handler.end();
      assert.deepEqual(exporter.getFinishedSpans().map((s) => s.name), ['first notes', 'SELECT notes', 'SELECT notes', 'handler']);
    } finally {
      context.disable();
    }
  });
});
