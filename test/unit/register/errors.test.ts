// Errors an Express app throws, rejects, passes to next(err) or answers as a 500 — never
// logged, console bridge off — as the collector's own error grouping sees them: the app runs
// under vibewatch/register against a real collector with the real Locator and Analyzer.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { startCollector, type Running } from '../collector/server/harness';
import { MemoryStore } from '../collector/server/memoryStore';
import { Analyzer } from '../../../collector/analysis/analyzer';
import { Locator, runtimeHintForLanguage } from '../../../collector/source/locator';
import { WorkspaceRegistry } from '../../../collector/live/workspaceRegistry';
import { SpanKind, StatusCode } from '../../../collector/model/types';
import { markers } from './markers';
import { httpGet, otelEnv, spawnApp, waitFor, type RunningApp } from './spawnApp';

const FIXTURES = [
  { express: 4, dir: join(__dirname, 'fixtures', 'express-errors'), service: 'register-fixture-express-errors' },
  { express: 5, dir: join(__dirname, 'fixtures', 'express5-errors'), service: 'register-fixture-express5-errors' },
];

for (const { express, dir: DIR, service } of FIXTURES) {
const APP = join(DIR, 'app.js');

describe(`vibewatch/register: errors the app never logs (Express ${express}, console bridge off)`, function () {
  this.timeout(90_000);
  const lines = markers(APP);
  let collector: Running;
  let analyzer: Analyzer;
  let app: RunningApp;
  const status: Record<string, number> = {};

  before(async () => {
    const store = new MemoryStore();
    const workspaces = new WorkspaceRegistry();
    workspaces.register(1, { folders: [DIR], pathMappings: {} });
    const locator = new Locator(workspaces);
    analyzer = new Analyzer({
      state: store,
      workspaceFolders: [DIR],
      settings: { traceQuietMs: 300, flushIntervalMs: 100, tickIntervalMs: 200, minuteGraceMs: 0, configReloadMs: 600_000 },
      log: () => {},
      // As the collector wires it (collector/process/analysisComponent.ts): the throw site comes from the stack.
      locateStack: (stack, runtime) => locator.locateStack(stack, runtimeHintForLanguage(runtime)).location,
    });
    await analyzer.start();
    collector = await startCollector({}, { store, workspaces, processors: [{ name: 'locate', fn: (b) => locator.locateBatch(b) }, { name: 'analysis', fn: analyzer.processor }] });
    app = await spawnApp(APP, { cwd: DIR, env: { ...otelEnv(collector.url), VIBEWATCH_CONSOLE_LOGS: '0' } });
    for (const path of [...(express === 5 ? ['/raw-async'] : []), '/sync/7', '/async/9', '/next', '/caught', '/missing', '/detached', '/timer', '/paused', '/api/final', '/ok']) {
      for (let i = 0; i < 2; i++) status[path] = (await httpGet(app.port, path)).status;
    }
  });

  after(async () => {
    await app?.stop();
    await analyzer?.shutdown();
    await collector?.stop();
  });

  const groups = () => analyzer.features.errors.list().filter((g) => g.services.includes(service));
  const group = (type: string, message: RegExp) => groups().find((g) => g.type === type && message.test(g.title));

  it('answers as the app does (instrumentation changes no response)', () => {
    assert.deepEqual(status, { ...(express === 5 ? { '/raw-async': 500 } : {}), '/sync/7': 500, '/async/9': 500, '/next': 500, '/caught': 500, '/missing': 404, '/detached': 200, '/timer': 200, '/paused': 500, '/api/final': 500, '/ok': 200 });
  });

  for (const [name, type, message, line] of [
    ['a synchronous throw in a handler', 'TypeError', /Cannot read properties of undefined/, 'sync'],
    ['a rejected promise passed on by an async wrapper', 'RangeError', /out of range/, 'async'],
    ['next(err) from a callback', 'SyntaxError', /bad cursor/, 'next'],
    ['a throw that reaches Express\'s final handler', 'EvalError', /final handler/, 'final'],
    ['an unhandled rejection while the app listens for them', 'TypeError', /detached failure/, 'detached'],
    ['one error object the app passes to next(err) in every request', 'Error', /service paused/, 'reused'],
    ['an uncaught exception in a timer while the app listens for them', 'Error', /timer blew up/, 'timer'],
  ] as const) {
    // On Express 5, /raw-async (a plain async handler, no wrapper) throws at the same line.
    const expected = express === 5 && line === 'async' ? 4 : 2;
    it(`groups ${name} once per request at its throw line`, async () => {
      const g = await waitFor(`${type} group`, () => {
        const found = group(type, message);
        return found && found.count >= expected ? found : undefined;
      }, 20_000);
      assert.equal(g.location?.file, APP);
      assert.equal(g.location?.line, lines[line]);
      await new Promise((r) => setTimeout(r, 600)); // later batches (log copies, parent spans) must not add to it
      assert.equal(group(type, message)!.count, expected);
    });
  }

  it('groups a 500 answered without an exception at the handler that answered it (its route line, where its server span lands)', async () => {
    const g = await waitFor('HTTP 500 group', () => groups().find((x) => /^HTTP /.test(x.title) && x.count >= 2), 20_000);
    assert.equal(g.location?.file, APP);
    // The Express 5 fixture loads Express under the alias `express5`, which the route-site
    // instrumentation (matched by module name) does not patch: its server span keeps the
    // response line, the fallback for routes without a registration site.
    assert.equal(g.location?.line, express === 4 ? lines.caughtRoute : lines.respond500);
    assert.equal(g.count, 2);
  });

  it('records the exception event and status ERROR on the request span', async () => {
    const span = await waitFor('/sync server span', () => collector.store.spans.find((s) => s.kind === SpanKind.Server && s.attributes['url.path'] === '/sync/7'));
    assert.equal(span.status.code, StatusCode.Error);
    const ev = span.events.find((e) => e.name === 'exception');
    assert.ok(ev, 'exception event');
    assert.equal(ev.attributes['exception.type'], 'TypeError');
    assert.match(String(ev.attributes['exception.stacktrace']), /at loadProfile \(.*app\.js:\d+:\d+\)/);
  });

  it('records nothing on the request span for an error the app answers with a 4xx', async () => {
    const span = await waitFor('/missing server span', () => collector.store.spans.find((s) => s.kind === SpanKind.Server && s.attributes['url.path'] === '/missing'));
    assert.equal(span.events.filter((e) => e.name === 'exception').length, 0);
    assert.notEqual(span.status.code, StatusCode.Error);
  });

  it('makes no other group: nothing for the successful requests, nothing twice', async () => {
    // (@opentelemetry/instrumentation-express, when loaded, records the 404's next(err) on its
    // own layer span; that group is its choice and not counted here.)
    const counted = () => groups().filter((g) => !/no such thing/.test(g.title));
    await waitFor('all groups', () => counted().length >= 8, 20_000);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(counted().length, 8, counted().map((g) => `${g.type} ${g.title} ×${g.count}`).join('\n'));
  });
});
}
