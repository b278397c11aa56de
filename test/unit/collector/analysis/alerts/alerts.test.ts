import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AlertEngine } from '../../../../../collector/analysis/alerts/alerts';
import type { AlertContext } from '../../../../../collector/analysis/alerts/alerts';
import { DEFAULT_RULES, mergeRules } from '../../../../../collector/analysis/alerts/alertRules';
import { Baselines } from '../../../../../collector/analysis/baselines/baselines';
import { loadWorkspaceConfig } from '../../../../../collector/analysis/workspaceConfig';
import type { AlertRule } from '../../../../../collector/analysis/alerts/types';
import type { Finding } from '../../../../../collector/analysis/findings/types';
import { traffic } from '../../../../harness/spans';
import { observeSpans } from '../foldSpans';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const MIN = 60_000;
const RULE: AlertRule = { id: 'orders-errors', kind: 'errorRate', op: '>', threshold: 0.1, windowMinutes: 2, minCalls: 10, for: '2m', severity: 'critical' };

function ctx(b: Baselines, nowMs: number): AlertContext {
  return { nowMs, baselines: b, findings: [], anomalies: [], trends: [] };
}

describe('analysis/alerts', () => {
  it('goes pending → firing after the `for:` dwell, then resolved when the errors stop', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    const eng = new AlertEngine();
    observeSpans(b, traffic({ fromMs: T0, minutes: 5, perMinute: 20, errorEvery: 4 }));
    let t = eng.evaluate([RULE], ctx(b, T0 + 30_000));
    assert.deepEqual(eng.list().map((a) => a.state), ['pending']);
    assert.equal(t.fired.length, 0);
    t = eng.evaluate([RULE], ctx(b, T0 + 30_000 + MIN));
    assert.equal(eng.list()[0].state, 'pending');
    t = eng.evaluate([RULE], ctx(b, T0 + 30_000 + 2 * MIN));
    assert.equal(t.fired.length, 1);
    const a = t.fired[0];
    assert.equal(a.state, 'firing');
    assert.equal(a.subject, 'shop-api GET /orders');
    assert.equal(a.value, 0.25);
    assert.match(a.text, /25\.0% errors/);
    observeSpans(b, traffic({ fromMs: T0 + 5 * MIN, minutes: 3, perMinute: 20 }));
    t = eng.evaluate([RULE], ctx(b, T0 + 7 * MIN + 30_000));
    assert.equal(t.resolved.length, 1);
    assert.equal(eng.list()[0].state, 'resolved');
    assert.equal(eng.list()[0].resolvedAtMs, T0 + 7 * MIN + 30_000);
  });

  it('fires once per rule and subject however often it is evaluated, and separately per endpoint', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    const eng = new AlertEngine();
    for (const route of ['/orders', '/cart']) observeSpans(b, traffic({ fromMs: T0, minutes: 3, perMinute: 20, errorEvery: 2, route }));
    const rule = { ...RULE, for: 0 };
    let fired = 0;
    for (let i = 0; i < 5; i++) fired += eng.evaluate([rule], ctx(b, T0 + 2 * MIN + i * 5000)).fired.length;
    assert.equal(fired, 2);
    assert.deepEqual(eng.firing().map((a) => a.subject).sort(), ['shop-api GET /cart', 'shop-api GET /orders']);
  });

  it('drops a pending alert whose condition clears before the dwell, leaving no history', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    const eng = new AlertEngine();
    observeSpans(b, traffic({ fromMs: T0, minutes: 1, perMinute: 20, errorEvery: 2 }));
    eng.evaluate([RULE], ctx(b, T0 + 30_000));
    observeSpans(b, traffic({ fromMs: T0 + MIN, minutes: 2, perMinute: 40 }));
    const t = eng.evaluate([RULE], ctx(b, T0 + 2 * MIN + 30_000));
    assert.equal(t.fired.length + t.resolved.length, 0);
    assert.deepEqual(eng.list(), []);
  });

  it('does not fire on an error rate from fewer calls than minCalls', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    const eng = new AlertEngine();
    observeSpans(b, traffic({ fromMs: T0, minutes: 1, perMinute: 4, errorEvery: 1 }));
    assert.equal(eng.evaluate([{ ...RULE, for: 0 }], ctx(b, T0 + 30_000)).fired.length, 0);
  });

  it('fires a latency p95 threshold rule for a slow endpoint only', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    const eng = new AlertEngine();
    observeSpans(b, traffic({ fromMs: T0, minutes: 2, perMinute: 30, durMs: 900, route: '/search' }));
    observeSpans(b, traffic({ fromMs: T0, minutes: 2, perMinute: 30, durMs: 20, route: '/orders' }));
    const t = eng.evaluate([{ id: 'p95', kind: 'latencyP95', threshold: 500, severity: 'warning' }], ctx(b, T0 + MIN + 30_000));
    assert.deepEqual(t.fired.map((a) => a.subject), ['shop-api GET /search']);
  });

  it('matches a route glob written with or without the method', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    observeSpans(b, traffic({ fromMs: T0, minutes: 2, perMinute: 30, durMs: 900, route: '/products/:id' }));
    for (const route of ['/products/*', 'GET /products/*']) {
      const t = new AlertEngine().evaluate([{ id: 'p95', kind: 'latencyP95', route, threshold: 250, severity: 'warning' }], ctx(b, T0 + MIN + 30_000));
      assert.deepEqual(t.fired.map((a) => a.subject), ['shop-api GET /products/:id'], route);
    }
    const none = new AlertEngine().evaluate([{ id: 'p95', kind: 'latencyP95', route: 'POST /products/*', threshold: 250, severity: 'warning' }], ctx(b, T0 + MIN + 30_000));
    assert.equal(none.fired.length, 0);
  });

  it('validates rules and says what is wrong', () => {
    const r = mergeRules([{ origin: 'file', name: 'alerts.json', content: { rules: [
      { id: 'a', kind: 'errorRat', severity: 'warning' },
      { id: 'b', kind: 'metric', severity: 'loud', metric: 'x', threshold: 1 },
      { id: 'c', kind: 'metric', severity: 'info' },
      { id: 'd', kind: 'errorRate', for: 'soon' },
    ] } }]);
    assert.equal(r.errors.length, 4);
    assert.match(r.errors[0], /rule "a": "kind" must be one of/);
    assert.match(r.errors[1], /"severity"/);
    assert.match(r.errors[2], /needs a "threshold"/);
    assert.match(r.errors[3], /"for" must be a duration/);
    assert.equal(r.rules.length, DEFAULT_RULES.length, 'defaults still apply');
  });

  it('reads rules from <workspace>/.vibewatch/alerts.json: a rule with a default id replaces it, `defaults: false` drops them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vw-alerts-'));
    try {
      mkdirSync(path.join(dir, '.vibewatch'));
      const file = path.join(dir, '.vibewatch', 'alerts.json');
      writeFileSync(file, JSON.stringify({ rules: [{ id: 'default.endpoint-error-rate', kind: 'errorRate', threshold: 0.5, severity: 'critical' }, { id: 'heap', kind: 'metric', metric: '*heap*', threshold: 5e8, severity: 'warning', for: '1m' }] }));
      let c = await loadWorkspaceConfig([dir], undefined);
      assert.deepEqual(c.errors, []);
      assert.equal(c.rules.length, DEFAULT_RULES.length + 1);
      assert.equal(c.rules.find((r) => r.id === 'default.endpoint-error-rate')!.threshold, 0.5);
      assert.equal(c.rules.find((r) => r.id === 'heap')!.origin, 'file');
      writeFileSync(file, JSON.stringify({ defaults: false, rules: [{ id: 'heap', kind: 'metric', metric: '*heap*', threshold: 5e8, severity: 'warning' }] }));
      c = await loadWorkspaceConfig([dir], undefined);
      assert.deepEqual(c.rules.map((r) => r.id), ['heap']);
      writeFileSync(file, '{ "rules": [ ');
      c = await loadWorkspaceConfig([dir], undefined);
      assert.match(c.errors[0], /alerts\.json: not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps alert state across toJSON/load', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    const eng = new AlertEngine();
    observeSpans(b, traffic({ fromMs: T0, minutes: 3, perMinute: 20, errorEvery: 2 }));
    eng.evaluate([{ ...RULE, for: 0 }], ctx(b, T0 + 2 * MIN));
    const copy = new AlertEngine();
    copy.load(JSON.parse(JSON.stringify(eng.toJSON())));
    const t = copy.evaluate([{ ...RULE, for: 0 }], ctx(b, T0 + 2 * MIN + 5000));
    assert.equal(t.fired.length, 0, 'already firing: not fired again after a restart');
    assert.equal(copy.firing().length, 1);
  });

  it('fires the default N+1 rule for a recent N+1 finding and the slow-query count rule per service', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    const eng = new AlertEngine();
    const now = T0 + 10 * MIN;
    const findings: Finding[] = [
      { kind: 'nPlusOne', id: 'n1', service: 'shop-api', statement: 'SELECT * FROM items WHERE order_id = ?', parentName: 'GET /orders', occurrences: 3, maxRepeats: 25, lastRepeats: 25, totalTimeMs: 300, firstSeenMs: now - MIN, lastSeenMs: now - MIN, traceIds: ['t1'], location: { file: '/w/src/orders.ts', line: 58 } },
      { kind: 'nPlusOne', id: 'n2', service: 'shop-api', statement: 'SELECT 1', parentName: 'GET /old', occurrences: 1, maxRepeats: 11, lastRepeats: 11, totalTimeMs: 11, firstSeenMs: now - 60 * MIN, lastSeenMs: now - 60 * MIN, traceIds: ['t0'] },
      { kind: 'slowQuery', id: 's1', service: 'shop-api', statement: 'SELECT * FROM orders', calls: 10, slowCalls: 4, slowPerMinute: [{ minuteMs: T0, count: 3 }, { minuteMs: T0 + 9 * MIN, count: 4 }], thresholdMs: 200, p50Ms: 250, p95Ms: 900, maxMs: 950, firstSeenMs: now - MIN, lastSeenMs: now - MIN, traceIds: [] },
    ];
    const rules = [DEFAULT_RULES.find((r) => r.id === 'default.n-plus-one')!, { id: 'slow', kind: 'slowQueryCount', threshold: 3, severity: 'warning' } as AlertRule];
    const t = eng.evaluate(rules, { nowMs: now, baselines: b, findings, anomalies: [], trends: [] });
    assert.deepEqual(t.fired.map((a) => [a.ruleId, a.subject]), [
      ['default.n-plus-one', 'shop-api nPlusOne SELECT * FROM items WHERE order_id = ?'],
      ['slow', 'shop-api'],
    ]);
    assert.deepEqual(t.fired[0].location, { file: '/w/src/orders.ts', line: 58 });
    assert.equal(t.fired[1].value, 4, 'only the slow calls inside the 5-minute window');
    assert.equal(t.fired[1].text, '4 slow queries (1 statement) on shop-api in 5 min');
    assert.match(t.fired[0].text, /N\+1: "SELECT \* FROM items WHERE order_id = \?" 25× under GET \/orders/);
  });

  it('fires an "anomalous" metric rule only for anomalies of matching metrics', () => {
    const b = new Baselines({ windowMinutes: 60, maxSeries: 100, limits: {} });
    const eng = new AlertEngine();
    const anomaly = { seriesKey: 'm|shop-api|queue.depth|', signal: 'value' as const, kind: 'metric' as const, service: 'shop-api', name: 'queue.depth', sinceMs: T0, value: 900, median: 10, mad: 2, score: 300, direction: 'up' as const, text: 'queue.depth is high' };
    const rule: AlertRule = { id: 'q', kind: 'anomalous', metric: 'queue.*', severity: 'warning' };
    assert.equal(eng.evaluate([rule], { nowMs: T0, baselines: b, findings: [], anomalies: [anomaly], trends: [] }).fired.length, 1);
    assert.equal(eng.evaluate([{ ...rule, id: 'q2', metric: 'cpu.*' }], { nowMs: T0, baselines: b, findings: [], anomalies: [anomaly], trends: [] }).fired.length, 0);
  });
});
