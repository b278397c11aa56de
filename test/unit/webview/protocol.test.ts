import { strict as assert } from 'node:assert';
import { isHostToPanel, isPanelToHost } from '../../../webview/protocol';

describe('panel protocol guards', () => {
  it('accepts each panel → host message kind', () => {
    assert.ok(isPanelToHost({ type: 'ready', panel: 'traces' }));
    assert.ok(isPanelToHost({ type: 'request', id: 1, method: 'baselineSeries', params: { key: 'k' } }));
    assert.ok(isPanelToHost({ type: 'openSource', location: { file: '/a.ts', line: 1 } }));
    assert.ok(isPanelToHost({ type: 'runRunbook', runbookId: 'rb' }));
    assert.ok(isPanelToHost({ type: 'showPanel', panel: 'logs', focus: { logFilter: { traceId: 'x' } } }));
  });

  it('rejects unknown panels, methods outside the panel subset, and bad shapes', () => {
    assert.ok(!isPanelToHost({ type: 'ready', panel: 'settings' }));
    assert.ok(!isPanelToHost({ type: 'request', id: 1, method: 'registerWorkspace', params: {} }));
    assert.ok(!isPanelToHost({ type: 'request', id: '1', method: 'trace', params: {} }));
    assert.ok(!isPanelToHost({ type: 'openSource', location: { file: '/a.ts', line: '1' } }));
    assert.ok(!isPanelToHost(null));
  });

  it('accepts host → panel messages and rejects others', () => {
    assert.ok(isHostToPanel({ type: 'response', id: 1, result: [] }));
    assert.ok(isHostToPanel({ type: 'failure', id: 1, message: 'x' }));
    assert.ok(isHostToPanel({ type: 'changed', topics: [] }));
    assert.ok(isHostToPanel({ type: 'changed', topics: ['spans', 'aiDiffs'] }));
    // A topic no sender has (or the old `areas` shape) is not a message panels wait for.
    assert.ok(!isHostToPanel({ type: 'changed', topics: ['ledger'] }));
    assert.ok(!isHostToPanel({ type: 'changed', areas: [] }));
    assert.ok(isHostToPanel({ type: 'show', focus: {} }));
    assert.ok(!isHostToPanel({ type: 'response', id: 1 }));
    assert.ok(!isHostToPanel({ type: 'eval', code: '1' }));
  });
});
