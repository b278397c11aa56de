// Log records from pino and winston (not console): an Express app runs under
// vibewatch/register against a real collector with the real Locator and Analyzer; its
// records arrive with the request's trace context and the logging call's line, and an error
// logged and also passed to next(err) is one occurrence in its error group.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { startCollector, type Running } from '../collector/server/harness';
import { MemoryStore } from '../collector/server/memoryStore';
import { Analyzer } from '../../../collector/analysis/analyzer';
import { Locator, runtimeHintForLanguage } from '../../../collector/source/locator';
import { WorkspaceRegistry } from '../../../collector/live/workspaceRegistry';
import { SpanKind } from '../../../collector/model/types';
import { markers } from './markers';
import { httpGet, otelEnv, spawnApp, waitFor, type RunningApp } from './spawnApp';

const DIR = join(__dirname, 'fixtures', 'loggers');
const APP = join(DIR, 'app.js');

describe('vibewatch/register: pino, winston, bunyan and NestJS Logger logs', function () {
  this.timeout(90_000);
  const lines = markers(APP);
  let collector: Running;
  let analyzer: Analyzer;
  let app: RunningApp;

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
      locateStack: (stack, runtime) => locator.locateStack(stack, runtimeHintForLanguage(runtime)).location,
    });
    await analyzer.start();
    collector = await startCollector({}, { store, workspaces, processors: [{ name: 'locate', fn: (b) => locator.locateBatch(b) }, { name: 'analysis', fn: analyzer.processor }] });
    app = await spawnApp(APP, { cwd: DIR, env: otelEnv(collector.url) });
    for (const path of ['/pino', '/winston', '/pino-error', '/pino-error', '/winston-error', '/bunyan', '/nest', '/nest-error']) await httpGet(app.port, path);
  });

  after(async () => {
    await app?.stop();
    await analyzer?.shutdown();
    await collector?.stop();
  });

  const serverSpan = (path: string) => waitFor(`${path} span`, () => collector.store.spans.find((s) => s.kind === SpanKind.Server && s.attributes['url.path'] === path));
  const logWith = (body: RegExp) => waitFor(`log ${body}`, () => collector.store.logRecords.find((l) => body.test(String(l.body))));

  it('sends a pino record with the request trace, its level, fields and the logging line', async () => {
    const log = await logWith(/pino says hello/);
    const span = await serverSpan('/pino');
    assert.equal(log.traceId, span.traceId);
    assert.equal(log.severityText, 'info');
    assert.equal(log.attributes.user, 'ada');
    assert.equal(log.attributes['code.file.path'], APP);
    assert.equal(log.attributes['code.line.number'], lines.pino);
    assert.equal(log.scope.name.includes('pino'), true, log.scope.name);
  });

  it('sends a winston record with the request trace, its level, fields and the logging line', async () => {
    const log = await logWith(/winston says careful/);
    const span = await serverSpan('/winston');
    assert.equal(log.traceId, span.traceId);
    assert.equal(log.severityText, 'warn');
    assert.equal(log.attributes.user, 'bob');
    assert.equal(log.attributes['code.file.path'], APP);
    assert.equal(log.attributes['code.line.number'], lines.winston);
  });

  it('sends a bunyan record with the request trace, its fields and the logging line', async () => {
    const log = await logWith(/bunyan says hey/);
    const span = await serverSpan('/bunyan');
    assert.equal(log.traceId, span.traceId);
    assert.equal(log.attributes.user, 'cy');
    assert.equal(log.attributes['code.file.path'], APP);
    assert.equal(log.attributes['code.line.number'], lines.bunyan);
  });

  it('counts an error logged with pino and passed to next(err) once per request, at its line', async () => {
    const g = await waitFor('inventory group', () => analyzer.features.errors.list().find((x) => /inventory unavailable/.test(x.title) && x.count >= 2), 20_000);
    assert.equal(g.location?.file, APP);
    assert.equal(g.location?.line, lines.pinoError);
    const sources = new Set(g.samples.map((s) => s.source));
    await new Promise((r) => setTimeout(r, 600)); // the other copy of each occurrence must not add to it
    assert.equal(analyzer.features.errors.list().find((x) => x.id === g.id)!.count, 2, [...sources].join());
  });

  it('groups an error logged with winston at its throw line, once (not again as the 502)', async () => {
    const g = await waitFor('URIError group', () => analyzer.features.errors.list().find((x) => x.type === 'URIError'), 20_000);
    assert.equal(g.location?.file, APP);
    assert.equal(g.location?.line, lines.winstonError);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(analyzer.features.errors.list().find((x) => x.id === g.id)!.count, 1);
    assert.equal(analyzer.features.errors.list().find((x) => /^HTTP /.test(x.title)), undefined, 'the 502 has its exception in the log');
  });

  it('sends a NestJS Logger record (our bridge) with the request trace, its context and the logging line', async () => {
    const log = await logWith(/nest says hi/);
    const span = await serverSpan('/nest');
    assert.equal(log.traceId, span.traceId);
    assert.equal(log.attributes['nest.context'], 'Orders');
    assert.equal(log.attributes['code.file.path'], APP);
    assert.equal(log.attributes['code.line.number'], lines.nest);
  });

  it('groups the stack NestJS Logger prints for an error at its throw line, once', async () => {
    const g = await waitFor('nest group', () => analyzer.features.errors.list().find((x) => /nest order failed/.test(x.title)), 20_000);
    assert.equal(g.location?.file, APP);
    assert.equal(g.location?.line, lines.nestError);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(analyzer.features.errors.list().find((x) => x.id === g.id)!.count, 1);
    assert.equal(analyzer.features.errors.list().find((x) => /^HTTP /.test(x.title)), undefined);
  });
});
