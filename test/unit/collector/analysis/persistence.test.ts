import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SqlStore } from '../../../../collector/store/sqlStore';
import { Analyzer } from '../../../../collector/analysis/analyzer';
import { batchOf, traffic } from '../../../harness/spans';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

/** The analysis state through the real store (sql.js, state file), across a clean restart
 *  and across a crash of the collector right after a save. */
describe('analysis/persistence with the real store', () => {
  let dir: string;
  const stores: SqlStore[] = [];
  const open = async () => {
    const s = new SqlStore({ dir, worker: false, log: () => undefined });
    stores.push(s);
    await s.start();
    return s;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vw-analysis-store-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  async function busyAnalyzer(store: SqlStore): Promise<{ a: Analyzer; setClock: (ms: number) => void }> {
    let clock = T0;
    const a = new Analyzer({ state: store, now: () => clock });
    await a.load(); // no start(): no timers, so a crashed store is never touched again
    for (let m = 0; m < 5; m++) {
      const b = batchOf(traffic({ fromMs: clock, minutes: 1, perMinute: 40, errorEvery: 2 }));
      b.spans[0].status.message = `order ${m} failed`;
      a.observe(b);
      a.tick((clock += 60_000));
    }
    return { a, setClock: (ms) => (clock = ms) };
  }

  it('a fresh collector (new store, new Analyzer) has the error groups, alerts and incidents', async () => {
    const s1 = await open();
    const { a } = await busyAnalyzer(s1);
    await a.features.incidents.action({ action: 'note', incidentId: 'inc-1', text: 'looking' });
    const before = JSON.stringify([a.features.errors.list(), a.features.alerts.list(), a.features.incidents.list()]);
    await a.shutdown();
    await s1.shutdown();
    stores.splice(0);
    const s2 = await open();
    const b = new Analyzer({ state: s2, now: () => T0 + 5 * 60_000 });
    await b.load();
    assert.equal(JSON.stringify([b.features.errors.list(), b.features.alerts.list(), b.features.incidents.list()]), before);
    assert.equal(b.features.incidents.list()[0].timeline.some((e) => e.kind === 'note'), true);
    await b.shutdown();
  });

  it('keeps what was saved when the collector crashes right after a save', async () => {
    const s1 = await open();
    const { a } = await busyAnalyzer(s1);
    await a.save();
    const groups = a.features.errors.list().length;
    await s1.abort(); // crash: no shutdown, no seal
    stores.splice(0);
    const s2 = await open();
    const b = new Analyzer({ state: s2, now: () => T0 });
    await b.load();
    assert.equal(b.features.errors.list().length, groups);
    assert.equal(b.features.incidents.list().length, 1);
    await b.shutdown();
  });
});
