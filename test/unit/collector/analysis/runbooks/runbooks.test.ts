import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { loadRunbooks, parseFrontMatter, parseRunbook, runbookServes } from '../../../../../collector/analysis/runbooks/runbooks';

const DIR = path.join(__dirname, 'fixtures', 'runbooks');

describe('analysis/runbooks', () => {
  it('parses front matter with block lists, inline lists and quoted strings', () => {
    const { data, body } = parseFrontMatter('---\ntitle: "A: b"\nalerts: [x, \'y*\']\ntags:\n  - one\n  - two\n---\nbody');
    assert.deepEqual(data, { title: 'A: b', alerts: ['x', 'y*'], tags: ['one', 'two'] });
    assert.equal(body, 'body');
  });

  it('turns a runbook into ordered shell, command, link and text steps', async () => {
    const { runbooks, errors } = await loadRunbooks([DIR]);
    assert.deepEqual(errors, []);
    const rb = runbooks.find((r) => r.id === 'checkout-errors')!;
    assert.equal(rb.title, 'Checkout is failing');
    assert.deepEqual(rb.alerts, ['default.endpoint-error-rate*', 'checkout-*']);
    assert.deepEqual(rb.steps.map((s) => s.kind), ['text', 'text', 'shell', 'command', 'command', 'text', 'link', 'text', 'shell', 'text']);
    assert.deepEqual(rb.steps[2], { kind: 'shell', command: 'git log --oneline -10 -- src/checkout', lang: 'sh' });
    assert.deepEqual(rb.steps[3], { kind: 'command', command: 'vibewatch.showErrors', args: { service: 'checkout' }, title: 'Open the errors panel' });
    assert.deepEqual(rb.steps[4], { kind: 'command', command: 'vibewatch.showTrace', args: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' } });
    assert.deepEqual(rb.steps[6], { kind: 'link', url: 'https://status.example-payments.com', title: 'status page' });
    assert.equal(rb.steps[8].kind === 'shell' && rb.steps[8].command, 'kubectl rollout undo deployment/checkout\nkubectl rollout status deployment/checkout');
    assert.equal(rb.steps[9].kind === 'text' && rb.steps[9].text, '{ "not": "a step to run" }', 'non-shell code blocks are text, not commands');
  });

  it('takes the title from the first heading when the front matter has none', () => {
    const rb = parseRunbook('---\nalerts: [a]\n---\n# Memory leak\n- vscode: workbench.action.reloadWindow\n', '/w/.vibewatch/runbooks/mem.md');
    assert.equal(rb.title, 'Memory leak');
    assert.equal(rb.id, 'mem');
    assert.deepEqual(rb.steps, [{ kind: 'command', command: 'workbench.action.reloadWindow', args: undefined }]);
  });

  it('matches runbooks to rule ids by glob', async () => {
    const { runbooks } = await loadRunbooks([DIR]);
    const serving = (id: string) => runbooks.filter((r) => runbookServes(r, id)).map((r) => r.id);
    assert.deepEqual(serving('default.endpoint-error-rate-critical'), ['checkout-errors']);
    assert.deepEqual(serving('checkout-latency'), ['checkout-errors']);
    assert.deepEqual(serving('default.memory-trend'), ['memory']);
    assert.deepEqual(serving('other'), []);
  });

  it('treats a missing runbooks folder as empty', async () => {
    assert.deepEqual(await loadRunbooks([path.join(DIR, 'nope')]), { runbooks: [], errors: [] });
  });
});
