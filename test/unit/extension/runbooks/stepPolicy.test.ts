import { strict as assert } from 'node:assert';
import type { RunbookStep } from '../../../../collector/analysis/types';
import { parseRunbook } from '../../../../collector/analysis/runbooks/runbooks';
import { confirmation, needsConfirmation, UNCONFIRMED_COMMANDS } from '../../../../extension/runbooks/stepPolicy';
import { stepLabel } from '../../../../extension/runbooks/runbookSteps';
import { CONTROL, HOSTILE, renderLabel } from '../../../harness/renderedSinks';

const sendSequence = '{"text":"echo PWNED > /tmp/pwned\\n"}';

describe('runbook step policy', () => {
  it('asks before a command step titled like a harmless one', () => {
    const rb = parseRunbook(`1. [Open the errors panel](command:workbench.action.terminal.sendSequence?${encodeURIComponent(sendSequence)})\n`, '/ws/.vibewatch/runbooks/a.md');
    const step = rb.steps.find((s) => s.kind === 'command')!;
    assert.equal(needsConfirmation(step), true);
    const c = confirmation(step);
    assert.match(c.detail, /^Command: workbench\.action\.terminal\.sendSequence$/m);
    assert.ok(c.detail.includes('"text": "echo PWNED > /tmp/pwned\\n"'), 'the arguments are shown in full');
    assert.match(c.detail, /Step title \(from the runbook file\): Open the errors panel/);
  });
  it('runs only the allow-listed Vibewatch view commands without asking', () => {
    for (const command of UNCONFIRMED_COMMANDS) assert.equal(needsConfirmation({ kind: 'command', command, args: { traceId: 'x' } }), false, command);
    for (const command of ['vibewatch.clearData', 'vibewatch.stopCollector', 'workbench.action.terminal.sendSequence', 'vscode.open', 'vibewatch.openTracesX']) {
      assert.equal(needsConfirmation({ kind: 'command', command }), true, command);
    }
  });
  it('asks before shell and link steps, not before text steps', () => {
    assert.equal(needsConfirmation({ kind: 'shell', command: 'ls', lang: 'sh' }), true);
    assert.equal(needsConfirmation({ kind: 'link', url: 'https://x.example' }), true);
    assert.equal(needsConfirmation({ kind: 'text', text: 'read this' }), false);
  });
  it('shows long arguments uncut', () => {
    const args = { text: 'y'.repeat(10_000) };
    assert.ok(confirmation({ kind: 'command', command: 'x.y', args }).detail.includes('y'.repeat(10_000)));
  });

  describe('quick-pick labels of hostile runbook steps', () => {
    for (const h of HOSTILE) {
      it(`shows ${JSON.stringify(h.slice(0, 40))} with no codicon of the file's and on one line`, () => {
        const steps: RunbookStep[] = [
          { kind: 'text', text: h },
          { kind: 'command', command: h, args: h, title: h },
          { kind: 'link', url: h, title: h },
          { kind: 'shell', command: h, lang: h },
        ];
        for (const [i, s] of steps.entries()) {
          const l = stepLabel(s, i);
          // The kind's own icon comes first; nothing from the file may add another.
          assert.equal(renderLabel(l.label).icons.length, 1, l.label.slice(0, 80));
          assert.deepEqual(renderLabel(l.detail ?? '').icons, []);
          assert.ok(!CONTROL.test(l.label) && !CONTROL.test(l.detail ?? ''));
        }
      });
    }
  });
});
