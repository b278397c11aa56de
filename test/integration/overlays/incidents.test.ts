// A critical alert from a workspace rule: one notification per firing episode, the incident
// it opens listed in the Incidents view, and Acknowledge / Resolve from the commands.
import { strict as assert } from 'node:assert';
import { SpanKind } from '@opentelemetry/api';
import { editorApi, sendSpans, waitFor, writeSource } from './hostHelpers';

describe('critical alerts and incidents (in the extension host)', function () {
  this.timeout(120_000);

  it('notifies a critical alert once and acknowledges then resolves its incident', async () => {
    const { editor } = await editorApi();
    writeSource('.vibewatch/alerts.json', JSON.stringify({ rules: [
      { id: 'host-test-errors', title: 'Checkout errors', kind: 'errorRate', service: 'host-test-*', op: '>', threshold: 0.2, minCalls: 5, windowMinutes: 5, for: 0, severity: 'warning' },
      { id: 'host-test-critical', title: 'Refunds failing', kind: 'errorRate', service: 'host-test-refunds', op: '>', threshold: 0.2, minCalls: 5, windowMinutes: 5, for: 0, severity: 'critical' },
    ] }, null, 2));
    const file = writeSource('src/refunds.ts', 'export function refund() {\n  throw new Error("ledger closed");\n}\n');
    const send = () => sendSpans(Array.from({ length: 10 }, (_, i) => ({ name: 'POST /refunds', file, line: 1, durationMs: 9, kind: SpanKind.SERVER, error: i % 2 ? 'ledger closed' : undefined, attributes: { 'http.route': '/refunds', 'http.request.method': 'POST' } })), 'host-test-refunds');
    await send();
    // The rule file is read when the collector reloads its workspace config (≤ 30 s); keep the errors coming.
    const alert = await waitFor('the critical alert to fire', async () => {
      const a = editor.alerts.alerts.find((x) => x.ruleId === 'host-test-critical' && x.state === 'firing');
      if (!a) await send();
      return a;
    }, 80_000, 2000);
    assert.equal(editor.alerts.notifiedEpisodes.filter((k) => k.startsWith(`${alert.key}@`)).length, 1, 'notified once');
    await editor.alerts.refresh();
    assert.equal(editor.alerts.notifiedEpisodes.filter((k) => k.startsWith(`${alert.key}@`)).length, 1, 'not again on the next refresh');
    const incidentId = await waitFor('the incident the alert opened', async () => {
      await editor.alerts.refresh();
      return editor.alerts.alerts.find((x) => x.key === alert.key)?.incidentId;
    }, 20_000, 500);
    await editor.trees.incidents.refresh();
    assert.ok(editor.trees.incidents.items.some((n) => (n.data as { incidentId?: string }).incidentId === incidentId), 'listed in the Incidents view');
    assert.equal(await import('vscode').then((v) => v.commands.executeCommand('vibewatch.acknowledgeIncident', incidentId)), true);
    assert.equal(editor.trees.incidentList.find((i) => i.id === incidentId)?.state, 'acknowledged');
    assert.equal(await import('vscode').then((v) => v.commands.executeCommand('vibewatch.resolveIncident', incidentId)), true);
    assert.equal(editor.trees.incidentList.find((i) => i.id === incidentId)?.state, 'resolved');
  });
});
