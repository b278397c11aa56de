import { strict as assert } from 'node:assert';
import { StatusTracker, alertMatches, deriveStatus, validateStatusConfig } from '../../../../../collector/analysis/status/status';
import type { AlertView } from '../../../../../collector/analysis/alerts/types';
import type { IncidentView } from '../../../../../collector/analysis/incidents/types';
import type { Severity } from '../../../../../collector/analysis/shared/severity';
import type { StatusComponentConfig } from '../../../../../collector/analysis/status/types';

const T0 = Date.UTC(2026, 10, 25, 23, 50, 0);

function alert(severity: Severity, subject: string, service = 'shop-api'): AlertView {
  return { key: `r|${subject}`, ruleId: 'r', title: 'r', severity, state: 'firing', subject, service, value: 1, text: 'x', pendingSinceMs: T0, lastEvalMs: T0 };
}
function incident(severity: Severity, alertKeys: string[], service = 'shop-api'): IncidentView {
  return {
    id: 'inc-1', number: 1, title: 'High error rate: shop-api POST /pay at /srv/app/src/pay.ts:42', service, severity, state: 'triggered', openedAtMs: T0,
    alertKeys, timeline: [{ atMs: T0, kind: 'alert', text: 'TypeError at /srv/app/src/pay.ts:42\n    at charge (/srv/app/src/pay.ts:42:7)' }],
    publicTitle: 'Degraded service: shop-api', publicUpdates: [{ atMs: T0, status: 'investigating', message: 'We are investigating.' }], runbookIds: [],
  };
}

const PAYMENTS: StatusComponentConfig = { id: 'payments', name: 'Payments', services: ['shop-api'], routes: ['/pay*'] };
const CATALOG: StatusComponentConfig = { id: 'catalog', name: 'Catalog', services: ['shop-api'], routes: ['GET /products*'] };

describe('analysis/status', () => {
  it('maps alerts to route-group components by service and route glob', () => {
    assert.ok(alertMatches(PAYMENTS, alert('warning', 'shop-api POST /pay/card')));
    assert.ok(!alertMatches(CATALOG, alert('warning', 'shop-api POST /pay/card')));
    assert.ok(alertMatches(CATALOG, alert('warning', 'shop-api GET /products/:id')));
  });

  it('derives degraded / partial / major from warning alerts, critical alerts and critical incidents', () => {
    const warn = alert('warning', 'shop-api POST /pay');
    const crit = alert('critical', 'shop-api POST /pay');
    const none = () => undefined;
    assert.equal(deriveStatus(PAYMENTS, [], [], none), 'operational');
    assert.equal(deriveStatus(PAYMENTS, [alert('info', 'shop-api POST /pay')], [], none), 'operational');
    assert.equal(deriveStatus(PAYMENTS, [warn], [], none), 'degraded_performance');
    assert.equal(deriveStatus(PAYMENTS, [warn, crit], [], none), 'partial_outage');
    assert.equal(deriveStatus(PAYMENTS, [crit], [incident('critical', [crit.key])], (k) => (k === crit.key ? crit : undefined)), 'major_outage');
    assert.equal(deriveStatus(CATALOG, [crit], [incident('critical', [crit.key])], (k) => (k === crit.key ? crit : undefined)), 'operational');
  });

  it('keeps daily uptime across midnight, counting partial outage minutes at 30%', () => {
    const st = new StatusTracker();
    const s = new Map([['payments', 'operational' as const]]);
    st.record(s, T0);
    st.record(s, T0 + 60_000);
    st.record(new Map([['payments', 'partial_outage' as const]]), T0 + 4 * 60_000);
    st.record(new Map([['payments', 'major_outage' as const]]), T0 + 9 * 60_000);
    st.record(new Map([['payments', 'major_outage' as const]]), T0 + 14 * 60_000);
    const view = st.view([PAYMENTS], new Map([['payments', 'major_outage']]), [], () => undefined, T0 + 14 * 60_000);
    const [d1, d2] = view.components[0].history;
    assert.equal(d1.date, '2026-11-25');
    assert.equal(d2.date, '2026-11-26');
    assert.equal(d1.observedMin + d2.observedMin, 14);
    assert.equal(d1.partialMin, 3);
    assert.equal(d1.majorMin + d2.majorMin, 10);
    assert.ok(Math.abs(view.components[0].uptime90d - (1 - (10 + 0.9) / 14)) < 1e-9);
  });

  it('does not count time while the collector was not running', () => {
    const st = new StatusTracker();
    const s = new Map([['payments', 'major_outage' as const]]);
    st.record(s, T0);
    st.record(s, T0 + 3 * 3_600_000);
    assert.equal(st.view([PAYMENTS], s, [], () => undefined, T0).components[0].history.length, 0);
  });

  it('publishes incidents without stack traces, paths or internal titles', () => {
    const st = new StatusTracker();
    const crit = alert('critical', 'shop-api POST /pay');
    const inc = incident('critical', [crit.key]);
    const view = st.view([PAYMENTS, CATALOG], new Map(), [inc], (k) => (k === crit.key ? crit : undefined), T0);
    const text = JSON.stringify(view);
    assert.doesNotMatch(text, /\/srv\/|pay\.ts|TypeError|at charge/);
    assert.equal(view.incidents[0].title, 'Degraded service: shop-api');
    assert.deepEqual(view.incidents[0].components, ['payments']);
    assert.equal(view.incidents[0].state, 'investigating');
  });

  it('validates status.json components', () => {
    const v = validateStatusConfig({ components: [{ id: 'a', name: 'A', services: ['x', 3] }, { name: 'no id' }] });
    assert.deepEqual(v.components, [{ id: 'a', name: 'A', services: ['x'], routes: undefined }]);
    assert.equal(v.errors.length, 1);
  });
});
