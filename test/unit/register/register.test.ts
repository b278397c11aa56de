import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type Running } from '../collector/server/harness';
import { SpanKind } from '../../../collector/model/types';
import type { Span } from '../../../collector/model/types';
import { httpGet, otelEnv, spawnApp, waitFor, type RunningApp } from './spawnApp';

const FIXTURE = join(__dirname, 'fixtures', 'app');

/** Line numbers of the `// LINE:name` markers in the fixture app. */
function markers(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  readFileSync(file, 'utf8').split('\n').forEach((l, i) => {
    const m = /\/\/ LINE:(\w+)/.exec(l);
    if (m) out[m[1]] = i + 1;
  });
  return out;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

describe('vibewatch/register', function () {
  this.timeout(60_000);
  let dir: string;
  let appFile: string;
  let lines: Record<string, number>;
  let revision: string;
  let collector: Running;
  let app: RunningApp;

  before(async () => {
    // A copy of the fixture in its own git repository, so the revision is known.
    dir = mkdtempSync(join(tmpdir(), 'vw-register-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'fixture');
    revision = git('rev-parse', 'HEAD');
    appFile = join(dir, 'app.js');
    lines = markers(appFile);
    collector = await startCollector();
    app = await spawnApp(appFile, { cwd: dir, env: otelEnv(collector.url) });
    assert.equal((await httpGet(app.port, '/items')).status, 200);
    assert.equal((await httpGet(app.port, '/upstream')).status, 200);
    assert.equal((await httpGet(app.port, '/fail')).status, 500);
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const spans = () => collector.store.spans.filter((s) => s.resource.serviceName === 'register-fixture-app');
  const at = (s: Span) => [str(s.attributes['code.file.path']), s.attributes['code.line.number'], str(s.attributes['code.function.name'])];

  it('names the service after the nearest package.json and records the git revision', async () => {
    const s = await waitFor('a span', () => spans()[0]);
    assert.equal(s.resource.attributes['service.name'], 'register-fixture-app');
    assert.equal(s.resource.attributes['vcs.ref.head.revision'], revision);
  });

  it('places a sql.js query span on the app line that ran the query', async () => {
    const q = await waitFor('SELECT span', () => spans().find((s) => s.name === 'SELECT item'));
    assert.equal(q.kind, SpanKind.Client);
    assert.equal(q.attributes['db.system.name'], 'sqlite');
    assert.equal(q.attributes['db.query.text'], 'SELECT id, name FROM item');
    assert.deepEqual(at(q), [appFile, lines.query, 'listItems']);
    assert.equal(q.attributes['code.column.number'], 19);
  });

  it('places an incoming request span where the app writes the response, with an inferred route', async () => {
    const server = await waitFor('server span for /items', () => spans().find((s) => s.kind === SpanKind.Server && s.attributes['url.path'] === '/items'));
    assert.deepEqual(at(server), [appFile, lines.respond, 'listItems']);
    assert.equal(server.attributes['http.route'], '/items');
    assert.equal(server.name, 'GET /items');
  });

  it('places an outgoing fetch span on the awaiting app line', async () => {
    const client = await waitFor('undici client span', () => spans().find((s) => s.kind === SpanKind.Client && s.scope.name.includes('undici')));
    assert.deepEqual(at(client), [appFile, lines.fetch, 'callUpstream']);
  });

  it('turns console.error(err) into a log record with the exception and trace context, placed by its stack', async () => {
    const log = await waitFor('error log', () => collector.store.logRecords.find((l) => l.attributes['exception.type'] === 'TypeError'));
    assert.equal(log.severityNumber, 17);
    assert.match(String(log.attributes['exception.stacktrace']), /at fail \(.*app\.js:\d+:\d+\)/);
    // No code.* from the console call: the collector places the record at the throw site.
    assert.equal(log.attributes['code.file.path'], undefined);
    const server = spans().find((s) => s.kind === SpanKind.Server && s.attributes['url.path'] === '/fail');
    assert.ok(server, 'the /fail server span');
    assert.equal(log.traceId, server.traceId);
    assert.equal(log.spanId, server.spanId);
  });

  it('exports RSS and V8 heap gauges under the semantic-convention names', async () => {
    const names = await waitFor('memory gauges', () => {
      const n = new Set(collector.store.metrics.filter((m) => m.resource.serviceName === 'register-fixture-app').map((m) => m.metric));
      return n.has('process.memory.usage') && n.has('v8js.memory.heap.used') && n.has('v8js.memory.heap.limit') ? n : undefined;
    });
    assert.ok(names.size >= 3);
    const heap = collector.store.metrics.find((m) => m.metric === 'v8js.memory.heap.used');
    assert.ok(heap && heap.kind === 'gauge' && heap.value > 1_000_000);
  });
});

describe('vibewatch/register with the collector down', function () {
  this.timeout(30_000);
  it('keeps serving requests and prints one warning for all failed exports', async () => {
    // Port 9 on loopback: nothing listens (discard service is not run), connections are refused.
    const app = await spawnApp(join(FIXTURE, 'app.js'), { cwd: FIXTURE, env: otelEnv('http://127.0.0.1:9') });
    try {
      for (let i = 0; i < 20; i++) assert.equal((await httpGet(app.port, '/items')).status, 200);
      assert.equal((await httpGet(app.port, '/fail')).status, 500);
      await waitFor('the warning', () => app.stderr().includes('[vibewatch] cannot export'));
      await new Promise((r) => setTimeout(r, 1500)); // several more export rounds fail meanwhile
      const warnings = app.stderr().split('\n').filter((l) => l.startsWith('[vibewatch]'));
      assert.equal(warnings.length, 1, app.stderr());
      assert.equal((await httpGet(app.port, '/items')).status, 200);
    } finally {
      await app.stop();
    }
  });
});

describe('vibewatch/register in an ES-module app (--import)', function () {
  this.timeout(30_000);
  it('instruments `import { createServer } from "node:http"` and places the span in the .mjs file', async () => {
    const collector = await startCollector();
    const dir = join(FIXTURE, '..', 'esm');
    const app = await spawnApp(join(dir, 'app.mjs'), { cwd: dir, env: otelEnv(collector.url), esm: true });
    try {
      assert.equal((await httpGet(app.port, '/hello')).status, 200);
      const span = await waitFor('the server span', () => collector.store.spans.find((s) => s.resource.serviceName === 'register-fixture-esm' && s.kind === SpanKind.Server));
      assert.equal(span.name, 'GET /hello');
      assert.equal(span.attributes['code.file.path'], join(dir, 'app.mjs'));
      assert.equal(span.attributes['code.line.number'], markers(join(dir, 'app.mjs')).respond);
    } finally {
      await app.stop();
      await collector.stop();
    }
  });
});
