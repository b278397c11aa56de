import { strict as assert } from 'node:assert';
import { IncidentManager } from '../../../../../collector/analysis/incidents/incidents';
import type { AlertView } from '../../../../../collector/analysis/alerts/types';
import type { Severity } from '../../../../../collector/analysis/shared/severity';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function alert(ruleId: string, severity: Severity, service = 'checkout', subject = `${service} POST /pay`): AlertView {
  return { key: `${ruleId}|${subject}`, ruleId, title: ruleId, severity, state: 'firing', subject, service, value: 0.3, text: `${subject}: 30% errors`, pendingSinceMs: T0, firingSinceMs: T0, lastEvalMs: T0 };
}

function manager(firing: Set<string>, autoResolve = true) {
  return new IncidentManager({
    minSeverity: 'critical', autoResolve, maxIncidents: 10,
    runbooksFor: (ids) => (ids.some((i) => i.startsWith('errors')) ? ['checkout-errors'] : []),
    isFiring: (k) => firing.has(k),
  });
}

describe('analysis/incidents', () => {
  it('opens an incident for a critical alert, with timeline, runbooks and an "investigating" public update', () => {
    const firing = new Set<string>();
    const m = manager(firing);
    const a = alert('errors-critical', 'critical');
    firing.add(a.key);
    const r = m.onAlertFired(a, T0)!;
    assert.ok(r.opened);
    const inc = r.incident;
    assert.equal(inc.id, 'inc-1');
    assert.equal(inc.state, 'triggered');
    assert.equal(inc.service, 'checkout');
    assert.deepEqual(inc.runbookIds, ['checkout-errors']);
    assert.equal(inc.timeline[0].kind, 'alert');
    assert.deepEqual(inc.publicUpdates.map((u) => u.status), ['investigating']);
    assert.equal(a.incidentId, 'inc-1');
  });

  it('opens nothing for an alert below the incident severity, but notes it on an open incident', () => {
    const m = manager(new Set());
    assert.equal(m.onAlertFired(alert('warn', 'warning'), T0), undefined);
    assert.equal(m.list().length, 0);
    m.onAlertFired(alert('errors-critical', 'critical'), T0);
    m.onAlertFired(alert('warn', 'warning'), T0 + 1000);
    assert.equal(m.list().length, 1);
    assert.equal(m.list()[0].timeline.length, 2);
    assert.deepEqual(m.list()[0].alertKeys, ['errors-critical|checkout POST /pay']);
  });

  it('joins a second critical alert of the same service to the open incident; another service gets its own', () => {
    const m = manager(new Set());
    m.onAlertFired(alert('errors-critical', 'critical'), T0);
    const r2 = m.onAlertFired(alert('latency', 'critical', 'checkout', 'checkout GET /cart'), T0 + 1000)!;
    assert.equal(r2.opened, false);
    assert.equal(r2.incident.alertKeys.length, 2);
    const r3 = m.onAlertFired(alert('errors-critical', 'critical', 'search'), T0 + 2000)!;
    assert.ok(r3.opened);
    assert.equal(m.open().length, 2);
  });

  it('runs triggered → acknowledged → resolved with notes and public updates on the timeline', () => {
    const m = manager(new Set(), false);
    const { incident } = m.onAlertFired(alert('errors-critical', 'critical'), T0)!;
    m.action({ action: 'ack', incidentId: incident.id, author: 'ann' }, T0 + 60_000);
    assert.equal(incident.state, 'acknowledged');
    assert.equal(incident.acknowledgedAtMs, T0 + 60_000);
    assert.throws(() => m.action({ action: 'ack', incidentId: incident.id }, T0), /not triggered/);
    m.action({ action: 'note', incidentId: incident.id, text: 'rolled back 9f8e7d6', author: 'ann' }, T0 + 120_000);
    m.action({ action: 'statusUpdate', incidentId: incident.id, status: 'identified', message: 'A bad deploy broke payments.' }, T0 + 130_000);
    m.action({ action: 'statusUpdate', incidentId: incident.id, status: 'monitoring', message: 'Fix deployed.' }, T0 + 140_000);
    m.action({ action: 'resolve', incidentId: incident.id, author: 'ann' }, T0 + 200_000);
    assert.equal(incident.state, 'resolved');
    assert.deepEqual(incident.publicUpdates.map((u) => u.status), ['investigating', 'identified', 'monitoring', 'resolved']);
    assert.deepEqual(incident.timeline.map((e) => e.kind), ['alert', 'state', 'note', 'statusUpdate', 'statusUpdate', 'state']);
    assert.throws(() => m.action({ action: 'resolve', incidentId: incident.id }, T0), /already resolved/);
  });

  it('resolves automatically when every alert of the incident has resolved', () => {
    const firing = new Set<string>();
    const m = manager(firing);
    const a1 = alert('errors-critical', 'critical');
    const a2 = alert('latency', 'critical', 'checkout', 'checkout GET /cart');
    firing.add(a1.key).add(a2.key);
    m.onAlertFired(a1, T0);
    const { incident } = m.onAlertFired(a2, T0)!;
    firing.delete(a1.key);
    m.onAlertResolved(a1, T0 + 1000);
    assert.equal(incident.state, 'triggered', 'one alert still firing');
    firing.delete(a2.key);
    m.onAlertResolved(a2, T0 + 2000);
    assert.equal(incident.state, 'resolved');
    assert.match(incident.timeline[incident.timeline.length - 1].text, /automatically/);
  });

  it('puts deploys and AI diffs shipped before the incident on its timeline, in time order', () => {
    const m = manager(new Set());
    const { incident } = m.onAlertFired(alert('errors-critical', 'critical'), T0)!;
    m.addChanges(incident.id, [
      { atMs: T0 - 20 * 60_000, kind: 'aiDiff', text: 'AI diff: retry payments in a loop', aiDiffId: 'd-17', commit: '9f8e7d6' },
      { atMs: T0 - 10 * 60_000, kind: 'deploy', text: 'deploy 9f8e7d6 to checkout', commit: '9f8e7d6' },
    ]);
    assert.deepEqual(incident.timeline.map((e) => e.kind), ['aiDiff', 'deploy', 'alert']);
    assert.equal(incident.timeline[0].aiDiffId, 'd-17');
  });
});
