// The versioned ClickHouse schema of the ClickHouse store. Migrations are an ordered list:
// migration N (1-based) takes a database from version N-1 to N; `schema_version` holds one
// row per applied migration and the database's version is their max. Applied at every start
// (`migrate`), idempotently: two collectors starting together against one database both
// run them, so a table is created IF NOT EXISTS and a column that already exists (code 44)
// counts as added. A database newer than this collector is refused with both versions named.
//
// Shape (works on 18.16 and current releases alike: no Map, DateTime64, LowCardinality or TTL):
//  - one row per span, log record and metric point, with `day` (UTC Date) as the partition
//    key, so retention drops whole days (`ALTER TABLE … DROP PARTITION`);
//  - time as `DateTime` (seconds) plus `UInt64` nanoseconds;
//  - attributes as two parallel arrays, keys and values, each value JSON-encoded (a string
//    keeps its quotes), so a read gives back the exact attributes;
//  - `origin` (the collector's id) + `seq` (its journal sequence) + `ix` (row index within the
//    batch) name every row, for exactly-once replay (18.16's MergeTree does not deduplicate
//    inserts: the store asks which rows of an uncertain batch are there before inserting).
//  - `state`: small key/value state, ReplacingMergeTree by version, read with argMax.
import type { ChConn } from './conn';

export const SPANS = 'spans';
export const LOGS = 'logs';
export const METRICS = 'metric_points';
export const STATE = 'state';
/** One row per insert round of an ingest collector: every row of its records up to `seq`
 *  is stored (store/clickhouse/recordTail.ts reads the team's records up to it). */
export const PROGRESS = 'ingest_progress';
/** Tables holding telemetry rows (partitioned by day, named by origin/seq/ix). */
export const ROW_TABLES = [SPANS, LOGS, METRICS] as const;
export type RowTable = (typeof ROW_TABLES)[number];

/** `{t}` is replaced by the qualified name of the table the statement is for. */
export interface Migration {
  table: string;
  sql: string;
}

const rowKey = 'day Date, time DateTime, time_ns UInt64, origin String, seq UInt64, ix UInt32';
const engine = (order: string) => `ENGINE = MergeTree PARTITION BY day ORDER BY (${order})`;

export const MIGRATIONS: readonly Migration[][] = [
  // 1: the first shape.
  [
    { table: SPANS, sql: `CREATE TABLE IF NOT EXISTS {t} (${rowKey}, trace_id String, span_id String, parent_id String, name String,
      kind UInt8, service String, dur_ms Float64, status UInt8, failed UInt8, is_db UInt8, status_msg String, route String,
      file String, line UInt32, fn String, loc String, attr_keys Array(String), attr_values Array(String), events String,
      resource String) ${engine('file, line, time_ns')}` },
    { table: LOGS, sql: `CREATE TABLE IF NOT EXISTS {t} (${rowKey}, sev UInt8, sev_text String, body String,
      attr_keys Array(String), attr_values Array(String), service String, trace_id String, span_id String, file String,
      line UInt32, fn String, resource String) ${engine('service, time_ns')}` },
    { table: METRICS, sql: `CREATE TABLE IF NOT EXISTS {t} (${rowKey}, name String, kind String, unit String, service String,
      attrs_key String, value Float64, count Float64, sum Float64, min Nullable(Float64), max Nullable(Float64),
      detail String, resource String) ${engine('name, time_ns')}` },
    { table: STATE, sql: `CREATE TABLE IF NOT EXISTS {t} (key String, value String, version UInt64, at DateTime)
      ENGINE = ReplacingMergeTree(version) ORDER BY key` },
  ],
  // 2: the endpoint's HTTP method and the running revision, read back without parsing attributes.
  [
    { table: SPANS, sql: `ALTER TABLE {t} ADD COLUMN http_method String DEFAULT ''` },
    { table: SPANS, sql: `ALTER TABLE {t} ADD COLUMN revision String DEFAULT ''` },
  ],
  // 3: the ingest progress of each collector, which the team's analysis follows.
  [
    { table: PROGRESS, sql: `CREATE TABLE IF NOT EXISTS {t} (day Date, origin String, seq UInt64, at DateTime)
      ENGINE = MergeTree PARTITION BY day ORDER BY (origin, seq)` },
  ],
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** ClickHouse's "column already exists" (a second collector migrated first). */
const DUPLICATE_COLUMN = 44;

export interface MigrateOptions {
  database: string;
  /** Cluster name: local tables are `<name>_local` on this server, and `<name>` is a
   *  `Distributed` table over the cluster (recreated after a migration changed the local one). */
  cluster?: string;
  upTo?: number;
  migrations?: readonly Migration[][];
}

export async function schemaVersion(conn: ChConn, database: string): Promise<number> {
  const rows = await conn.rows<{ v: string }>(`SELECT max(version) AS v FROM ${database}.schema_version`);
  return Number(rows[0]?.v ?? 0);
}

/** Creates the database if needed and applies the migrations after its version. Returns
 *  the version it started from. */
export async function migrate(conn: ChConn, o: MigrateOptions): Promise<{ from: number; to: number }> {
  const db = o.database;
  const migrations = o.migrations ?? MIGRATIONS;
  const upTo = o.upTo ?? migrations.length;
  await conn.exec(`CREATE DATABASE IF NOT EXISTS ${db}`);
  await conn.exec(`CREATE TABLE IF NOT EXISTS ${db}.schema_version (version UInt32, applied DateTime) ENGINE = MergeTree ORDER BY version`);
  const from = await schemaVersion(conn, db);
  if (from > migrations.length) throw new Error(`the ClickHouse database ${db} has schema version ${from}, newer than this collector's (${migrations.length}): upgrade the collector`);
  const local = (t: string) => `${db}.${o.cluster ? `${t}_local` : t}`;
  const changed = new Set<string>();
  for (let v = from; v < upTo; v++) {
    for (const m of migrations[v]) {
      try {
        await conn.exec(m.sql.replace('{t}', local(m.table)));
      } catch (err) {
        if ((err as { code?: string }).code !== String(DUPLICATE_COLUMN)) throw new Error(`ClickHouse schema migration ${v + 1} failed: ${(err as Error).message}`);
      }
      changed.add(m.table);
    }
    await conn.exec(`INSERT INTO ${db}.schema_version VALUES (${v + 1}, now())`);
  }
  if (o.cluster) {
    for (const t of [...ROW_TABLES, STATE, PROGRESS]) {
      const dist = `${db}.${t}`;
      // A Distributed table has the columns of the local one: remade when a migration changed it.
      if (changed.has(t) && from > 0) await conn.exec(`DROP TABLE IF EXISTS ${dist}`);
      await conn.exec(`CREATE TABLE IF NOT EXISTS ${dist} AS ${local(t)} ENGINE = Distributed(${o.cluster}, ${db}, ${t}_local, rand())`);
    }
  }
  return { from, to: Math.max(from, upTo) };
}
