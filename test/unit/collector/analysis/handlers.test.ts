import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Analyzer } from '../../../../collector/analysis/analyzer';
import { analysisHandlers } from '../../../../collector/analysis/handlers';
import type { HandlerTable } from '../../../../collector/live/handlers';
import { LiveError } from '../../../../collector/live/handlers';
import { MemoryState } from './otelHelper';
import { at, batchOf, dbSpan, traffic } from '../../../harness/spans';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const ctx = { clientId: 1 };

describe('analysis/handlers', () => {
  let dir: string;
  let h: HandlerTable;
  let a: Analyzer;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vw-handlers-'));
    mkdirSync(path.join(dir, '.vibewatch', 'runbooks'), { recursive: true });
    writeFileSync(path.join(dir, '.vibewatch', 'runbooks', 'n1.md'), '---\ntitle: N+1\nalerts: [default.n-plus-one]\n---\n- [Open findings](command:vibewatch.showFindings)\n');
    // One status component per service (opt-in; the default publishes none without status.json).
    a = new Analyzer({ state: new MemoryState(), workspaceFolders: [dir], now: () => T0, settings: { publishTelemetryServices: true } });
    await a.reloadConfig();
    const spans = traffic({ fromMs: T0, minutes: 1, perMinute: 1 });
    const root = spans[0];
    root.location = at('/w/src/orders.ts', 40);
    for (let i = 0; i < 10; i++) {
      spans.push(dbSpan({ parent: root, service: root.resource, name: 'SELECT', system: 'sqlite', statement: `SELECT * FROM items WHERE order_id = ${i}`,
        atMs: T0, durMs: i === 0 ? 500 : 2, location: { file: '/w/src/orders.ts', line: 58, via: 'stack', confidence: 0.9 } }));
    }
    a.observe(batchOf(spans));
    a.flush(T0, true);
    h = analysisHandlers(a.features);
  });
  after(async () => {
    await a.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers findings for one file, of one kind', async () => {
    const all = await h.findings!({ file: '/w/src/orders.ts' }, ctx);
    assert.deepEqual(all.map((f) => f.kind).sort(), ['nPlusOne', 'slowQuery']);
    assert.deepEqual(await h.findings!({ file: '/w/src/other.ts' }, ctx), []);
    assert.deepEqual((await h.findings!({ kind: 'nPlusOne' }, ctx)).map((f) => f.kind), ['nPlusOne']);
    await assert.rejects(async () => h.findings!({ kind: 'bogus' as never }, ctx), (e: unknown) => e instanceof LiveError && e.code === 'bad_request');
  });

  it('lists baseline series and returns one by key, not_found otherwise', async () => {
    const list = await h.baselineSeriesList!({ kind: 'location' }, ctx);
    assert.deepEqual(list.map((s) => s.name).sort(), ['/w/src/orders.ts:40', '/w/src/orders.ts:58']);
    const one = await h.baselineSeries!({ key: list[0].key }, ctx);
    assert.equal(one.buckets.length, 1);
    await assert.rejects(async () => h.baselineSeries!({ key: 'nope' }, ctx), (e: unknown) => e instanceof LiveError && e.code === 'not_found');
  });

  it('returns runbooks for a rule id, with their steps', async () => {
    const [rb] = await h.runbooks!({ ruleId: 'default.n-plus-one' }, ctx);
    assert.equal(rb.title, 'N+1');
    assert.deepEqual(rb.steps, [{ kind: 'command', command: 'vibewatch.showFindings', args: undefined, title: 'Open findings' }]);
    assert.deepEqual(await h.runbooks!({ ruleId: 'other' }, ctx), []);
  });

  it('validates incident actions before touching anything', async () => {
    await assert.rejects(async () => h.incidentAction!({ action: 'note', incidentId: 'inc-1' } as never, ctx), /"text" must be a non-empty string/);
    await assert.rejects(async () => h.incidentAction!({ action: 'fly', incidentId: 'inc-1' } as never, ctx), /"action" must be one of/);
    await assert.rejects(async () => h.incident!({ id: 'inc-404' }, ctx), (e: unknown) => e instanceof LiveError && e.code === 'not_found');
  });

  it('returns anomalies (none yet) and the status', async () => {
    assert.deepEqual(await h.anomalies!({ file: '/w/src/orders.ts' }, ctx), { anomalies: [], trends: [] });
    const st = await h.status!({}, ctx);
    assert.equal(st.overall, 'operational');
    assert.deepEqual(st.components.map((c) => c.id), ['shop-api']);
  });
});
