// The alert indicator: an alert rule in the workspace's .vibewatch/alerts.json fires on real
// error spans, and the status-bar item shows the firing count.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { SpanKind } from '@opentelemetry/api';
import { editorApi, sendSpans, waitFor, writeSource } from './hostHelpers';

describe('status bar alert indicator (in the extension host)', function () {
  this.timeout(120_000);

  it('shows `$(alert) N firing` once an alert fires, and the alerts view lists it', async () => {
    const { api, editor } = await editorApi();
    assert.match(api.statusBar.text, /Vibewatch|firing/);
    writeSource('.vibewatch/alerts.json', JSON.stringify({ rules: [{ id: 'host-test-errors', title: 'Checkout errors', kind: 'errorRate', service: 'host-test-*', op: '>', threshold: 0.2, minCalls: 5, windowMinutes: 5, for: 0, severity: 'warning' }] }, null, 2));
    const file = writeSource('src/failing.ts', 'export function pay() {\n  throw new Error("card declined");\n}\n');
    await editor.refresh();
    await sendSpans(Array.from({ length: 10 }, (_, i) => ({ name: 'POST /pay', file, line: 1, durationMs: 15, kind: SpanKind.SERVER, error: i % 2 ? 'card declined' : undefined, attributes: { 'http.route': '/pay', 'http.request.method': 'POST' } })), 'host-test-payments');
    // The rule file is read when the collector reloads its workspace config (≤ 30 s).
    await waitFor('the workspace rule to fire', () => editor.alerts.alerts.find((a) => a.ruleId === 'host-test-errors' && a.state === 'firing'), 75_000, 250);
    const firing = editor.alerts.alerts.filter((a) => a.state === 'firing').length;
    assert.equal(api.statusBar.text, `$(alert) ${firing} firing`);
    await editor.trees.alerts.refresh();
    assert.ok(editor.trees.alerts.items.some((n) => n.item.label === 'Checkout errors' && String(n.item.description).startsWith('firing')), 'the Alerts view lists the firing alert');
    void vscode;
  });
});
