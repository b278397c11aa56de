import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WorkspaceRegistry } from '../../../../collector/live/workspaceRegistry';
import { startAnalysis } from '../../../../collector/analysis/wiring';
import { MemoryState } from './otelHelper';
import { batchOf, traffic } from '../../../harness/spans';

describe('analysis/wiring', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vw-wiring-'));
    mkdirSync(path.join(dir, '.vibewatch'));
    writeFileSync(path.join(dir, '.vibewatch', 'alerts.json'), JSON.stringify({ rules: [{ id: 'ws.rule', kind: 'errorRate', severity: 'info' }] }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('follows the folders editors register and forwards change areas', async () => {
    const workspaces = new WorkspaceRegistry();
    const areas: string[] = [];
    const w = await startAnalysis({ state: new MemoryState(), workspaces, notifyChanged: (a) => areas.push(...a) });
    try {
      assert.ok(!w.analyzer.features.alerts.rules().rules.some((r) => r.id === 'ws.rule'));
      workspaces.register(1, { folders: [dir], pathMappings: {} });
      for (let i = 0; i < 100 && !w.analyzer.features.alerts.rules().rules.some((r) => r.id === 'ws.rule'); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(w.analyzer.features.alerts.rules().rules.some((r) => r.id === 'ws.rule'), 'rules of the registered workspace');
      assert.ok(areas.includes('config'));
      const b = batchOf(traffic({ fromMs: Date.now(), minutes: 1, perMinute: 3 }));
      b.spans[0].status = { code: 2, message: 'boom' };
      await w.processor.fn(b);
      w.analyzer.flush(Date.now());
      assert.ok(areas.includes('errors'));
      assert.equal((await w.handlers.errors!({}, { clientId: 1 })).length, 1);
    } finally {
      await w.stop();
      await w.stop();
    }
  });
});
