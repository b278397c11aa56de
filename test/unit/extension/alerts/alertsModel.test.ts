import { strict as assert } from 'node:assert';
import type { AlertView, Runbook } from '../../../../collector/analysis/types';
import { alertNotification, episodeKey, firingSummary, runbooksFor, toNotify } from '../../../../extension/alerts/alertsModel';
import { HOSTILE, renderNotification } from '../../../harness/renderedSinks';

const alert = (o: Partial<AlertView>): AlertView => ({ key: 'r1|shop', ruleId: 'r1', title: 'Error rate', severity: 'critical', state: 'firing', subject: 'shop', value: 0.3, text: 'error rate 30%', pendingSinceMs: 1, firingSinceMs: 2, lastEvalMs: 3, ...o });

describe('alert indicator model', () => {
  it('counts firing alerts and the critical ones among them', () => {
    assert.deepEqual(firingSummary([alert({}), alert({ key: 'b', severity: 'warning' }), alert({ key: 'c', state: 'pending' })]), { firing: 2, critical: 1 });
  });
  it('notifies a critical firing episode once', () => {
    const a = alert({});
    assert.deepEqual(toNotify([a], new Set()), [a]);
    assert.deepEqual(toNotify([a], new Set([episodeKey(a)])), []);
    assert.equal(toNotify([alert({ firingSinceMs: 99 })], new Set([episodeKey(a)])).length, 1, 'a new episode notifies again');
    assert.deepEqual(toNotify([alert({ severity: 'warning' })], new Set()), []);
  });
  it('finds the runbooks whose alert patterns name the rule', () => {
    const rb = (id: string, alerts: string[]): Runbook => ({ id, title: id, alerts, file: `${id}.md`, steps: [] });
    assert.deepEqual(runbooksFor(alert({ ruleId: 'error-rate-high' }), [rb('a', ['error-*']), rb('b', ['latency'])]).map((r) => r.id), ['a']);
  });
  it('never lets the telemetry part of the key pick a runbook', () => {
    const rb = (id: string, alerts: string[]): Runbook => ({ id, title: id, alerts, file: `${id}.md`, steps: [] });
    const a = alert({ ruleId: 'default.endpoint-error-rate', key: 'default.endpoint-error-rate|shop GET /pay wipe-db' });
    assert.deepEqual(runbooksFor(a, [rb('wipe', ['*wipe-db*']), rb('rate', ['default.endpoint-*'])]).map((r) => r.id), ['rate']);
  });
  it('notifies with fixed text and the rule title only, never the telemetry text', () => {
    const route = HOSTILE[0];
    const msg = alertNotification(alert({ title: 'Very high error rate', text: `${route} on shop: 100% errors`, subject: `shop ${route}` }));
    assert.equal(msg, 'Vibewatch: critical alert firing — Very high error rate. See the Alerts view for the details.');
  });
  for (const h of HOSTILE) {
    it(`renders a hostile rule title ${JSON.stringify(h.slice(0, 40))} with no link or icon`, () => {
      assert.deepEqual(renderNotification(alertNotification(alert({ title: h }))), { links: [], headings: 0, html: [], icons: [] });
    });
  }
});

describe('extension/alerts/alertsModel runbook patterns', () => {
  it('matches a many-star runbook pattern against a long rule id without backtracking', () => {
    // Rule ids come from the workspace's alerts.json (untrusted too); only the rule id selects a
    // runbook. The backtracking regex took seconds per id of this shape.
    const alert = { ruleId: `custom.${'a'.repeat(450)}` };
    const runbook: Runbook = { id: 'x', title: 'x', alerts: ['*a*a*a*b'], file: 'x.md', steps: [] };
    const started = Date.now();
    for (let i = 0; i < 50; i++) assert.deepEqual(runbooksFor(alert, [runbook]), []);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms (generous bound for a loaded machine; microseconds expected)`);
  });
});
