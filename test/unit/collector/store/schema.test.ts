import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSql } from '../../../../collector/store/sqlLoader';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion } from '../../../../collector/store/schema';
import { Segment } from '../../../../collector/store/segment';
import { harness } from './storeHarness';
import type { Harness } from './storeHarness';

describe('segment schema', () => {
  let h: Harness;
  beforeEach(() => { h = harness(); });
  afterEach(() => h.cleanup());

  async function v1Segment(): Promise<Uint8Array> {
    const SQL = await loadSql();
    const db = new SQL.Database();
    migrate(db, 1);
    db.run(`INSERT INTO resources VALUES (1, '{"service.name":"legacy"}')`);
    db.run(`INSERT INTO spans (trace_id, span_id, name, kind, service, start_ms, dur_ms, status, attrs, res_id)
      VALUES ('aa', 'bb', 'GET /old', 2, 'legacy', ${Date.now()}, 12, 0, '{"http.route":"/old"}', 1)`);
    const bytes = db.export();
    db.close();
    return bytes;
  }

  it('creates new segments at the current version', async () => {
    const seg = Segment.create(await loadSql(), 1);
    assert.equal(schemaVersion(seg.db), SCHEMA_VERSION);
    assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
    seg.close();
  });

  it('migrates a segment sealed at version 1 when it is loaded, keeping its rows', async () => {
    const seg = Segment.load(await loadSql(), 1, await v1Segment());
    assert.equal(schemaVersion(seg.db), SCHEMA_VERSION);
    const cols = seg.db.exec('PRAGMA table_info(spans)')[0].values.map((r) => r[1]);
    assert.ok(cols.includes('route'));
    assert.deepEqual(seg.trace('aa').map((s) => [s.name, s.service, s.durationMs]), [['GET /old', 'legacy', 12]]);
    seg.close();
  });

  it('serves a version-1 segment file left by an older collector (sidecar rebuilt)', async () => {
    writeFileSync(join(h.dir, 'seg-00000003.db'), await v1Segment());
    const s = await h.open();
    assert.equal((await s.stats()).spans, 1);
    assert.equal((await s.trace('aa')).length, 1);
    assert.equal((await s.traces({}))[0].rootName, 'GET /old');
    assert.ok(h.logs.some((l) => l.event === 'store.started' && l.fields.openSegment === 4));
  });

  it('refuses a segment from a newer schema instead of misreading it', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    migrate(db);
    db.run('UPDATE schema_version SET version = 99');
    assert.throws(() => migrate(db), /newer than this collector/);
    db.close();
  });
});
