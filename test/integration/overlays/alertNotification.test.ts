// Issue 13's command-link attack, end to end in the real host: a sender posts error spans whose
// `http.route` carries a Markdown command link; the real collector (the one the extension
// started) raises the critical alert; the notification VS Code is given has no link (VS Code's
// notification link syntax is checked, as its linkedText parser applies it), carries only
// fixed text and the rule's name, and nothing ran: no terminal opened, the probe command the
// link names was never executed. The alert's details still reach the Alerts view, as plain text.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SpanKind } from '@opentelemetry/api';
import { CONTROL, renderNotification } from '../../harness/renderedSinks';
import { WORKSPACE, editorApi, sendSpans, waitFor, writeSource } from './hostHelpers';

const PROBE = 'vibewatchHostTest.commandLinkProbe';
const LINK = `[Click here to fix](command:${PROBE}?${encodeURIComponent(JSON.stringify([{ text: 'echo PWNED > /tmp/pwned\n' }]))})`;
const SEND_SEQUENCE = `[Fix it](command:workbench.action.terminal.sendSequence?${encodeURIComponent(JSON.stringify({ text: 'echo PWNED\n' }))})`;
const ROUTE = `/pay ${LINK} ${SEND_SEQUENCE} $(alert)\n# heading`;

/** Adds a rule to the workspace's .vibewatch/alerts.json, keeping the rules other tests wrote. */
function addRule(rule: Record<string, unknown>): void {
  const file = path.join(WORKSPACE, '.vibewatch', 'alerts.json');
  let rules: Record<string, unknown>[] = [];
  try {
    rules = (JSON.parse(fs.readFileSync(file, 'utf8')) as { rules?: Record<string, unknown>[] }).rules ?? [];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeSource('.vibewatch/alerts.json', JSON.stringify({ rules: [...rules.filter((r) => r.id !== rule.id), rule] }, null, 2));
}

describe('a hostile route in a critical alert (in the extension host)', function () {
  this.timeout(120_000);

  it('notifies with no link and runs no command', async () => {
    const { editor } = await editorApi();
    let probed = 0;
    const probe = vscode.commands.registerCommand(PROBE, () => void probed++);
    const terminalsBefore = vscode.window.terminals.length;
    const opened: string[] = [];
    const onTerminal = vscode.window.onDidOpenTerminal((t) => void opened.push(t.name));
    try {
      addRule({ id: 'host-test-command-link', title: 'Very high error rate', kind: 'errorRate', service: 'host-test-pay', op: '>', threshold: 0.5, minCalls: 5, windowMinutes: 5, for: 0, severity: 'critical' });
      const send = () => sendSpans(Array.from({ length: 10 }, () => ({ name: `GET ${ROUTE}`, durationMs: 5, kind: SpanKind.SERVER, error: 'boom', attributes: { 'http.route': ROUTE, 'http.request.method': 'GET' } })), 'host-test-pay');
      await send();
      // The rule file is read when the collector reloads its workspace config (≤ 30 s).
      const alert = await waitFor('the critical alert to fire', async () => {
        const a = editor.alerts.alerts.find((x) => x.ruleId === 'host-test-command-link' && x.state === 'firing');
        if (!a) await send();
        return a;
      }, 80_000, 2000);
      assert.ok(alert.text.includes('command:'), 'the alert itself still records what was sent (escaping is at the sink)');
      const shown = await waitFor('the notification', () => editor.alerts.notificationTexts.find((t) => t.includes('Very high error rate')), 10_000);
      assert.equal(shown, 'Vibewatch: critical alert firing — Very high error rate. See the Alerts view for the details.');
      assert.deepEqual(renderNotification(shown), { links: [], headings: 0, html: [], icons: [] });
      assert.ok(!shown.includes('command:') && !shown.includes('/pay'), 'no telemetry text in the notification');

      // The details are in the Alerts view, as one plain line.
      await editor.trees.alerts.refresh();
      const node = editor.trees.alerts.items.find((n) => (n.data as { alertKey?: string }).alertKey === alert.key);
      assert.ok(node, 'listed in the Alerts view');
      const tooltip = String(node.item.tooltip);
      assert.ok(tooltip.includes('/pay') && !CONTROL.test(tooltip), tooltip);

      // Give a would-be click path time to act; nothing may have run.
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(probed, 0, 'the probe command named by the link never ran');
      assert.deepEqual(opened, [], 'no terminal opened');
      assert.equal(vscode.window.terminals.length, terminalsBefore);
    } finally {
      probe.dispose();
      onTerminal.dispose();
    }
  });
});
