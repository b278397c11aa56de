import { strict as assert } from 'node:assert';
import type { AlertView, Runbook } from '../../../../collector/analysis/types';
import { episodeKey, firingSummary, runbooksFor, toNotify } from '../../../../extension/alerts/alertsModel';

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
});

describe('extension/alerts/alertsModel runbook patterns', () => {
  it('matches a many-star runbook pattern against a long alert key without backtracking', () => {
    // The alert key carries a telemetry route; the backtracking regex took seconds per key.
    const alert = { ruleId: 'default.endpoint-error-rate', key: `default.endpoint-error-rate|shop|GET /${'a'.repeat(450)}` };
    const runbook: Runbook = { id: 'x', title: 'x', alerts: ['*a*a*a*b'], file: 'x.md', steps: [] };
    const started = Date.now();
    for (let i = 0; i < 50; i++) assert.deepEqual(runbooksFor(alert, [runbook]), []);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms (generous bound for a loaded machine; microseconds expected)`);
  });
});
