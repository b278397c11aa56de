// The versioned schema of a segment database. Migrations are an ordered list: migration N
// (1-based) takes a database from version N-1 to N. A segment sealed by an older collector
// is migrated in memory when it is loaded; `schema_version` holds the current version.
import type { Database } from 'sql.js';

export const MIGRATIONS: readonly string[] = [
  // 1: the first shape.
  `CREATE TABLE resources (id INTEGER PRIMARY KEY, json TEXT NOT NULL);
   CREATE TABLE spans (trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_id TEXT, name TEXT NOT NULL,
     kind INTEGER NOT NULL, service TEXT NOT NULL, start_ms REAL NOT NULL, dur_ms REAL NOT NULL,
     status INTEGER NOT NULL, status_msg TEXT, file TEXT, line INTEGER, attrs TEXT NOT NULL,
     events TEXT, loc TEXT, res_id INTEGER NOT NULL);
   CREATE INDEX spans_trace ON spans (trace_id);
   CREATE TABLE logs (time_ms REAL NOT NULL, sev INTEGER NOT NULL, sev_text TEXT, body TEXT NOT NULL,
     attrs TEXT NOT NULL, service TEXT NOT NULL, trace_id TEXT, span_id TEXT, file TEXT, line INTEGER,
     res_id INTEGER NOT NULL);
   CREATE TABLE metric_points (name TEXT NOT NULL, kind TEXT NOT NULL, unit TEXT, time_ms REAL NOT NULL,
     service TEXT NOT NULL, attrs_key TEXT NOT NULL, value REAL, count REAL, sum REAL, min REAL, max REAL,
     detail TEXT, res_id INTEGER NOT NULL);`,
  // 2: route filter without parsing attributes; logs by trace id without a scan.
  `ALTER TABLE spans ADD COLUMN route TEXT;
   CREATE INDEX logs_trace ON logs (trace_id);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  const t = db.exec(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`);
  if (!t.length) return 0;
  const r = db.exec('SELECT version FROM schema_version');
  return r.length ? Number(r[0].values[0][0]) : 0;
}

/** Applies the migrations after the database's version, up to `upTo`. Returns the version
 *  it started from. Each migration runs in its own transaction. */
export function migrate(db: Database, upTo: number = SCHEMA_VERSION, migrations: readonly string[] = MIGRATIONS): number {
  const from = schemaVersion(db);
  if (from > migrations.length) throw new Error(`segment schema version ${from} is newer than this collector (${migrations.length})`);
  if (from === 0) db.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);');
  for (let v = from; v < upTo; v++) {
    db.run('BEGIN');
    try {
      db.run(migrations[v]);
      db.run('UPDATE schema_version SET version = ?', [v + 1]);
      db.run('COMMIT');
    } catch (err) {
      db.run('ROLLBACK');
      throw new Error(`migration ${v + 1} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return from;
}
