import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Analyzer } from '../../../../collector/analysis/analyzer';
import type { ChangeSource } from '../../../../collector/analysis/incidents/incidentsFeature';
import type { AnalysisSettings } from '../../../../collector/analysis/settings';
import type { NumberPoint, Span } from '../../../../collector/model/types';
import { msToNs, nsToMs } from '../../../../collector/model/time';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryState } from './otelHelper';
import { batchOf, dbSpan, traffic } from '../../../harness/spans';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const MIN = 60_000;


function heapPoint(atMs: number, bytes: number): NumberPoint {
  return {
    kind: 'gauge', metric: 'process.memory.usage', unit: 'By', value: bytes, timeNs: msToNs(atMs),
    attributes: {}, resource: { attributes: { 'service.name': 'shop-api', 'process.memory.limit': 512 * 1024 * 1024 }, serviceName: 'shop-api' }, scope: { name: 'test' },
  };
}

describe('analysis/analyzer', () => {
  let dir: string;
  let state: MemoryState;
  let clock: number;
  const changes: ChangeSource = {
    async changesBefore(service, fromMs, toMs) {
      assert.ok(toMs - fromMs > 0);
      return [{ atMs: toMs - 15 * MIN, kind: 'aiDiff', text: `AI diff on ${service}: batch payment retries`, aiDiffId: 'diff-3', commit: 'c0ffee1' }];
    },
  };
  const make = (extra: Partial<AnalysisSettings> = {}) => new Analyzer({ state, changes, workspaceFolders: [dir], now: () => clock, settings: { flushIntervalMs: 3_600_000, tickIntervalMs: 3_600_000, ...extra } });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vw-analyzer-'));
    mkdirSync(path.join(dir, '.vibewatch', 'runbooks'), { recursive: true });
    writeFileSync(path.join(dir, '.vibewatch', 'runbooks', 'errors.md'), '---\ntitle: Error spike\nalerts: [default.endpoint-error-rate*]\n---\n```sh\ngit log -5\n```\n');
    state = new MemoryState();
    clock = T0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Feeds `minutes` of traffic minute by minute, ticking every 30 s. */
  function run(a: Analyzer, from: number, minutes: number, spansFor: (m: number) => Span[], metricsFor: (m: number) => NumberPoint[] = () => []) {
    for (let m = 0; m < minutes; m++) {
      clock = from + m * MIN;
      a.observe(batchOf(spansFor(clock), { metrics: metricsFor(clock) }));
      a.tick(clock + 15_000);
      a.tick((clock = clock + 45_000));
    }
  }

  it('with no configuration, an erroring endpoint fires the default alerts, opens an incident with runbook and AI diff, and degrades status', async () => {
    // Per-service status components are opt-in (see the status page tests below).
    const a = make({ publishTelemetryServices: true });
    await a.start();
    const areas = new Set<string>();
    a.onChange((x) => x.forEach((y) => areas.add(y)));
    run(a, T0, 6, (at) => traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 3 }));
    await new Promise((r) => setImmediate(r));
    const firing = a.features.alerts.list({ state: 'firing' }).map((x) => x.ruleId).sort();
    assert.deepEqual(firing, ['default.endpoint-error-rate', 'default.endpoint-error-rate-critical']);
    const [inc] = a.features.incidents.list();
    assert.equal(inc.service, 'shop-api');
    assert.equal(inc.severity, 'critical');
    assert.deepEqual(inc.runbookIds, ['errors']);
    assert.ok(inc.timeline.some((e) => e.kind === 'aiDiff' && e.aiDiffId === 'diff-3'));
    const st = a.features.status.view();
    assert.equal(st.components[0].id, 'shop-api');
    assert.equal(st.components[0].status, 'major_outage');
    assert.equal(st.incidents[0].state, 'investigating');
    for (const x of ['alerts', 'incidents', 'status']) assert.ok(areas.has(x), `changed: ${x}`);
    await a.shutdown();
  });

  it('publishes no status component for services seen only in telemetry by default', async () => {
    // Any sender names services: it must not add components to the public page or declare
    // an outage of one (issue 13).
    const a = make();
    await a.start();
    run(a, T0, 6, (at) => [...traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 3 }), ...traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 2, service: 'Bank of Example — OUTAGE' })]);
    await new Promise((r) => setImmediate(r));
    assert.ok(a.features.alerts.list({ state: 'firing' }).length > 0, 'the alerts still fire for the editor');
    const st = a.features.status.view();
    assert.deepEqual(st.components, []);
    assert.equal(st.overall, 'operational');
    assert.ok(a.features.incidents.list().length > 0, 'the incident is open for the editor');
    assert.deepEqual(st.incidents, [], 'but not announced on the public page');
    await a.shutdown();
  });

  it('takes status components from .vibewatch/status.json only, even with telemetry from other services', async () => {
    writeFileSync(path.join(dir, '.vibewatch', 'status.json'), JSON.stringify({ components: [{ id: 'checkout', name: 'Checkout', services: ['shop-api'] }] }));
    const a = make();
    await a.start();
    run(a, T0, 6, (at) => [...traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 3 }), ...traffic({ fromMs: at, minutes: 1, perMinute: 40, service: 'injected' })]);
    await new Promise((r) => setImmediate(r));
    const st = a.features.status.view();
    assert.deepEqual(st.components.map((c) => c.id), ['checkout']);
    assert.equal(st.components[0].status, 'major_outage');
    await a.shutdown();
  });

  it('Clear Data forgets every feature\'s state, saves the empty state and keeps the workspace config', async () => {
    const a = make({ publishTelemetryServices: true });
    await a.start();
    run(a, T0, 6, (at) => traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 3, durMs: 250 }));
    const [root] = traffic({ fromMs: clock, minutes: 1, perMinute: 1 });
    root.status = { code: 2, message: 'payment 42 declined' };
    a.observe(batchOf([root]));
    a.flush(clock, true);
    await new Promise((r) => setImmediate(r));
    assert.ok(a.features.errors.list().length && a.features.alerts.list().length && a.features.incidents.list().length, 'something was learned');
    const areas = new Set<string>();
    a.onChange((x) => x.forEach((y) => areas.add(y)));
    await a.reset();
    assert.deepEqual(a.features.errors.list(), []);
    assert.deepEqual(a.features.findings.list(), []);
    assert.deepEqual(a.features.alerts.list(), []);
    assert.deepEqual(a.features.incidents.list(), []);
    assert.deepEqual(a.features.detectors.list(), { anomalies: [], trends: [] });
    assert.deepEqual(a.features.baselines.list(), [], 'the span series were this analyzer\'s (no store): emptied too');
    assert.deepEqual(a.features.status.view().components, []);
    for (const x of ['errors', 'findings', 'anomalies', 'alerts', 'incidents', 'status']) assert.ok(areas.has(x), `changed: ${x}`);
    assert.deepEqual(a.features.runbooks.list().map((rb) => rb.id), ['errors'], 'workspace config stays');
    // The empty state was saved: a restart does not bring anything back.
    const b = make({ publishTelemetryServices: true });
    await b.load();
    assert.deepEqual(b.features.errors.list(), []);
    assert.deepEqual(b.features.incidents.list(), []);
    // Learning starts again from nothing: the next incident is number 1 again.
    run(a, clock + MIN, 6, (at) => traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 3 }));
    const [inc] = a.features.incidents.list();
    assert.equal(inc.number, 1);
    await a.shutdown();
  });

  it('survives a restart: a fresh Analyzer loading the saved state answers the same and does not re-fire', async () => {
    const a = make();
    await a.start();
    run(a, T0, 6, (at) => traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 3, durMs: 250 }));
    const [root] = traffic({ fromMs: clock, minutes: 1, perMinute: 1 });
    root.status = { code: 2, message: 'payment 42 declined' };
    const db = dbSpan({ parent: root, service: root.resource, atMs: nsToMs(root.startNs), durMs: 400, statement: 'SELECT * FROM payments WHERE id = 42' });
    a.observe(batchOf([root, db]));
    a.flush(clock, true);
    await a.features.incidents.action({ action: 'ack', incidentId: 'inc-1', author: 'ann' });
    await a.shutdown();
    const b = make();
    await b.start();
    // Compared as JSON: what a client sees (absent and undefined fields are the same there).
    const j = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
    assert.ok(a.features.alerts.list().length > 0 && a.features.findings.list().length > 0 && a.features.baselines.list().length > 0 && a.features.errors.list().length > 0);
    assert.deepEqual(j(b.features.alerts.list()), j(a.features.alerts.list()));
    assert.deepEqual(j(b.features.incidents.list()), j(a.features.incidents.list()));
    assert.deepEqual(j(b.features.errors.list()), j(a.features.errors.list()));
    assert.deepEqual(j(b.features.findings.list()), j(a.features.findings.list()));
    assert.deepEqual(j(b.features.baselines.list()), j(a.features.baselines.list()));
    // Baselines are saved with coarser histograms: counts exact, quantiles within ~4%.
    const sa = a.features.baselines.get('ep|shop-api|GET /orders')!, sb = b.features.baselines.get('ep|shop-api|GET /orders')!;
    assert.deepEqual(sb.buckets.map((x) => [x.minuteMs, x.count, x.errors]), sa.buckets.map((x) => [x.minuteMs, x.count, x.errors]));
    sb.buckets.forEach((x, i) => assert.ok(Math.abs(x.p95! - sa.buckets[i].p95!) / sa.buckets[i].p95! < 0.05, `p95 ${x.p95} vs ${sa.buckets[i].p95}`));
    assert.deepEqual(j(b.features.status.view(clock).components), j(a.features.status.view(clock).components));
    const fired: string[] = [];
    b.onChange((x) => fired.push(...x));
    run(b, clock + 15_000, 1, (at) => traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 3 }));
    assert.equal(b.features.incidents.list().length, 1, 'no second incident for the same, still firing alerts');
    assert.equal(b.features.incidents.list()[0].state, 'acknowledged');
    await b.shutdown();
  });

  it('detects a p95 step on an endpoint and fires the default anomaly rule after its dwell', async () => {
    const a = make();
    await a.start();
    run(a, T0, 40, (at) => traffic({ fromMs: at, minutes: 1, perMinute: 20, durMs: ((at - T0) / MIN) % 3 === 0 ? 22 : 20 }));
    assert.deepEqual(a.features.detectors.list().anomalies, []);
    run(a, T0 + 40 * MIN, 8, (at) => traffic({ fromMs: at, minutes: 1, perMinute: 20, durMs: 240 }));
    const [an] = a.features.detectors.list().anomalies;
    assert.ok(an, 'anomaly found');
    assert.equal(an.signal, 'p95');
    assert.equal(an.direction, 'up');
    assert.match(an.text, /GET \/orders \(shop-api\) p95 2\d\d ms is above its usual 2\d(\.\d)? ms/);
    assert.ok(a.features.alerts.list({ state: 'firing' }).some((x) => x.ruleId === 'default.endpoint-p95-anomaly'));
    await a.shutdown();
  });

  it('reads a growing heap as a trend towards its limit and fires the default memory rule', async () => {
    const a = make();
    await a.start();
    const MB = 1024 * 1024;
    run(a, T0, 25, () => [], (at) => [heapPoint(at, 300 * MB + ((at - T0) / MIN) * 4 * MB)]);
    const { trends } = a.features.detectors.list();
    assert.equal(trends.length, 1);
    assert.match(trends[0].text, /^shop-api: memory grows 4\.0 MB\/min, reaches the limit in ~\d+ min$/);
    assert.ok(a.features.alerts.list({ state: 'firing' }).some((x) => x.ruleId === 'default.memory-trend'));
    await a.shutdown();
  });

  it('takes the heap limit from the sibling `v8js.memory.heap.limit` series (as vibewatch/register exports it)', async () => {
    const a = make();
    const MB = 1024 * 1024;
    const gauge = (metric: string, at: number, v: number): NumberPoint => ({ ...heapPoint(at, v), metric, resource: { attributes: { 'service.name': 'shop-api' }, serviceName: 'shop-api' } });
    // The last complete minute (18) is where the fit is read.
    run(a, T0, 20, () => [], (at) => [gauge('v8js.memory.heap.used', at, 100 * MB + ((at - T0) / MIN) * 3.1 * MB), gauge('v8js.memory.heap.limit', at, 100 * MB + 18 * 3.1 * MB + 42 * 3.1 * MB)]);
    const { trends } = a.features.detectors.list();
    assert.equal(trends.length, 1, 'the limit series itself is not a trend');
    assert.equal(trends[0].text, 'shop-api: heap grows 3.1 MB/min, reaches the limit in ~42 min');
    await a.shutdown();
  });

  it('analyses traces still buffered on shutdown, saves, and may be shut down twice', async () => {
    const a = make();
    const spans = traffic({ fromMs: T0, minutes: 1, perMinute: 1 });
    const root = spans[0];
    for (let i = 0; i < 12; i++) {
      spans.push({ ...root, spanId: `c${i.toString(16).padStart(15, '0')}`, parentSpanId: root.spanId, name: 'SELECT', kind: 3,
        attributes: { 'db.system': 'postgresql', 'db.statement': `SELECT * FROM items WHERE order_id = ${i}` } });
    }
    a.observe(batchOf(spans));
    await a.shutdown();
    await a.shutdown();
    const b = make();
    await b.load();
    assert.equal(b.features.findings.list({ kind: 'nPlusOne' }).length, 1);
  });

  it('observes 20 000 spans in one batch and counts them (its cost per span is in npm run bench)', () => {
    const a = make();
    const spans = traffic({ fromMs: T0, minutes: 10, perMinute: 2000 });
    const t = process.hrtime.bigint();
    a.observe(batchOf(spans));
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(`      observe: ${spans.length} spans in ${ms.toFixed(1)} ms (${((ms * 1000) / spans.length).toFixed(2)} µs/span)`);
    assert.equal(a.health.batches, 1);
  });

  it('attributes a new error group to the commit / AI diff of its location, asynchronously', async () => {
    const seen: string[] = [];
    const a = new Analyzer({ state, now: () => clock, attribution: { async attribute(loc) { seen.push(`${loc.file}:${loc.line}`); return { commit: 'c0ffee1', aiDiffId: 'diff-3' }; } } });
    const [s] = traffic({ fromMs: T0, minutes: 1, perMinute: 1 });
    s.status = { code: 2, message: 'boom' };
    s.location = { file: '/w/src/pay.ts', line: 12, via: 'attribute', confidence: 1 };
    a.observe(batchOf([s]));
    a.flush(T0);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, ['/w/src/pay.ts:12']);
    assert.deepEqual(a.features.errors.list()[0].attribution, { commit: 'c0ffee1', aiDiffId: 'diff-3' });
  });

  it('saves on its tick timer, unless its owner saves at its own points (periodicSaves: false)', async () => {
    const run = async (periodicSaves: boolean | undefined) => {
      const st = new MemoryState();
      const a = new Analyzer({ state: st, workspaceFolders: [dir], periodicSaves, settings: { flushIntervalMs: 20, tickIntervalMs: 20, saveIntervalMs: 0, baselineSaveIntervalMs: 0 } });
      await a.start();
      const afterStart = st.puts;
      a.observe(batchOf(traffic({ fromMs: Date.now(), minutes: 1, perMinute: 5 })));
      await new Promise((r) => setTimeout(r, 150));
      const timed = st.puts - afterStart;
      await a.halt();
      return timed;
    };
    assert.ok((await run(undefined)) > 0, 'the default saves on the timer');
    assert.equal(await run(false), 0);
  });

  it('posts firing alerts and the opened incident to a webhook from settings', async () => {
    const bodies: { type: string }[] = [];
    const server = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(b) as { type: string });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const a = new Analyzer({ state, now: () => clock, settings: { webhooks: [{ url }] } });
    try {
      run(a, T0, 5, (at) => traffic({ fromMs: at, minutes: 1, perMinute: 40, errorEvery: 2 }));
      for (let i = 0; i < 50 && bodies.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(bodies.map((b) => b.type).sort(), ['alert.firing', 'alert.firing', 'incident.opened']);
    } finally {
      await a.shutdown();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('tells listeners that findings changed when a slow query is seen', () => {
    const a = make();
    const areas: string[] = [];
    a.onChange((x) => areas.push(...x));
    const [root] = traffic({ fromMs: T0, minutes: 1, perMinute: 1 });
    const db = dbSpan({ parent: root, service: root.resource, atMs: nsToMs(root.startNs), durMs: 450, statement: 'SELECT * FROM customers WHERE lower(email) = $1' });
    a.observe(batchOf([root, db]));
    a.flush(T0, true);
    assert.ok(areas.includes('findings'));
    assert.equal(a.features.findings.list({ kind: 'slowQuery' }).length, 1);
  });

  it('never throws into the pipeline: a broken span is counted, the batch goes on', () => {
    const logs: string[] = [];
    const a = new Analyzer({ state, now: () => clock, log: (m) => logs.push(m) });
    const [s] = traffic({ fromMs: T0, minutes: 1, perMinute: 1 });
    (s as unknown as { attributes: unknown }).attributes = null;
    assert.doesNotThrow(() => a.observe(batchOf([s])));
    assert.equal(a.health.sideFailures, 1);
    assert.match(logs[0], /analysis observe: /);
  });
});
