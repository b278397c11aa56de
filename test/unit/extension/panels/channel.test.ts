import { strict as assert } from 'node:assert';
import { PanelChannel, type PanelActions, type PanelDataClient } from '../../../../extension/panels/channel';
import type { HostToPanel, OpenLocation } from '../../../../webview/protocol';

function setup(client: Partial<PanelDataClient> = {}) {
  const posted: HostToPanel[] = [];
  const opened: OpenLocation[] = [];
  const warnings: string[] = [];
  const calls: [string, unknown][] = [];
  const c: PanelDataClient = {
    request: async (method, params) => { calls.push([method, params]); return [] as never; },
    onChanged: () => ({ dispose() {} }),
    ...client,
  };
  const actions: PanelActions = { openSource: (l) => { opened.push(l); }, runRunbook: () => {}, showPanel: () => {}, warn: (m) => warnings.push(m) };
  const ch = new PanelChannel('traces', (m) => posted.push(m), c, actions);
  return { ch, posted, opened, warnings, calls };
}

describe('panel channel (extension side of webview/protocol.ts)', () => {
  it('holds pushes until the panel says ready, and keeps only one pending changed', async () => {
    const { ch, posted } = setup();
    ch.push({ type: 'changed', topics: ['spans'] });
    ch.push({ type: 'changed', topics: ['logs'] });
    ch.show({ traceId: 'abc' });
    assert.equal(posted.length, 0);
    await ch.receive({ type: 'ready', panel: 'traces' });
    assert.deepEqual(posted.map((m) => m.type), ['changed', 'show']);
  });

  it('answers a request with the same id through the data client', async () => {
    const { ch, posted, calls } = setup();
    await ch.receive({ type: 'request', id: 7, method: 'trace', params: { traceId: 'abc' } });
    assert.deepEqual(calls, [['trace', { traceId: 'abc' }]]);
    assert.deepEqual(posted, [{ type: 'response', id: 7, result: [] }]);
  });

  it('turns a failed request into a failure with the message', async () => {
    const { ch, posted } = setup({ request: async () => { throw new Error('collector down'); } });
    await ch.receive({ type: 'request', id: 3, method: 'logs', params: {} });
    assert.deepEqual(posted, [{ type: 'failure', id: 3, message: 'collector down' }]);
  });

  it('rejects malformed messages and unknown methods without calling anything', async () => {
    const { ch, posted, calls, warnings } = setup();
    await ch.receive({ type: 'request', id: 1, method: 'clear', params: {} });
    await ch.receive('ready');
    await ch.receive({ type: 'openSource', location: { file: 42 } });
    assert.equal(ch.rejected, 3);
    assert.equal(calls.length + posted.length, 0);
    assert.equal(warnings.length, 3);
  });

  it('maps "touches an AI diff" to the AI-diff files filter', async () => {
    const { ch, calls } = setup({ aiDiffFiles: async () => ['/w/src/a.ts'] });
    await ch.receive({ type: 'request', id: 1, method: 'traces', params: { aiOnly: true, service: 'shop' } });
    assert.deepEqual(calls, [['traces', { service: 'shop', files: ['/w/src/a.ts'] }]]);
  });

  it('passes openSource to the editor action', async () => {
    const { ch, opened } = setup();
    await ch.receive({ type: 'openSource', location: { file: '/w/src/a.ts', line: 3 } });
    assert.deepEqual(opened, [{ file: '/w/src/a.ts', line: 3 }]);
  });
});
