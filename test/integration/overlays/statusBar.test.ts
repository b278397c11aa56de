// The alert indicator: an alert rule in the workspace's .vibewatch/alerts.json fires on real
// error spans, and the status-bar item shows the firing count.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { editorApi, sendSpans, waitFor, writeSource } from './hostHelpers';

describe('status bar alert indicator (in the extension host)', function () {
  this.timeout(90_000);

  it('shows `$(alert) N firing` once an alert fires, and the alerts view lists it', async () => {
    const { api, editor } = await editorApi();
    assert.match(api.statusBar.text, /Vibewatch|firing/);
    writeSource('.vibewatch/alerts.json', JSON.stringify({ rules: [{ id: 'host-test-errors', title: 'Checkout errors', kind: 'errorRate', service: 'host-test-*', op: '>', threshold: 0.2, minCalls: 5, windowMinutes: 5, for: 0, severity: 'warning' }] }, null, 2));
    const file = writeSource('src/failing.ts', 'export function pay() {\n  throw new Error("card declined");\n}\n');
    await editor.refresh();
    await sendSpans(Array.from({ length: 10 }, (_, i) => ({ name: 'POST /pay', file, line: 1, durationMs: 15, error: i % 2 ? 'card declined' : undefined, attributes: { 'http.route': '/pay', 'http.request.method': 'POST' } })), 'host-test-payments');
    const text = await waitFor('the firing indicator', () => (/\$\(alert\) \d+ firing/.test(api.statusBar.text) ? api.statusBar.text : undefined), 60_000, 200);
    assert.match(text, /^\$\(alert\) [1-9]\d* firing$/);
    await editor.trees.alerts.refresh();
    assert.ok(editor.trees.alerts.items.some((n) => String(n.item.label).includes('Checkout errors') || String(n.item.description).startsWith('firing')), 'the Alerts view lists the firing alert');
    void vscode;
  });
});
