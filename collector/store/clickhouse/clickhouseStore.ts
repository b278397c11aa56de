// The ClickHouse-backed TelemetryStore (the team collector's store). Design (README.md here):
//  - consume: rows built once → journal append (store/journal.ts, group-committed fsync) →
//    once durable, in consume order, queued for ClickHouse (inserter.ts) → `consume`
//    resolves, so the exporter's 200 means "on this disk". ClickHouse gets the rows a moment
//    later, batched; while it is down the journal holds them and they are inserted when it
//    is back (each row once). Above `maxPendingRows` rows waiting, consume refuses
//    (→ 503 + Retry-After) instead of growing without bound.
//  - the series are the team's, not this process's: consume does not fold them. The one
//    process that analyses for the team (process/teamAnalysis.ts, holder of the analysis
//    lease) folds every collector's stored records into them through `recordTail()` and
//    checkpoints them in the `state` table with its cursors. Until it has caught up (and on
//    every other collector) `fileSummary` and `filesWithData` are computed by ClickHouse.
//  - the local folder keeps: journals (`journal-N.log`, rolled at `journalMaxBytes`) and
//    `clickhouse.json` (this collector's origin id and the journal sequence ClickHouse has
//    everything up to). A rolled journal is deleted once ClickHouse has all of it.
//  - start: connect and migrate (unreachable → a clear error), replay every journal: records
//    past the inserted sequence into ClickHouse as uncertain (looked up by (origin, seq, ix)).
//  - reads (traces, trace, logs, stats, state) are ClickHouse queries.
import { existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { journalIds, journalName, readOrSetAside, StoreTimers } from '../storeFolder';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { TelemetryBatch } from '../../model/types';
import type { FileSummary, LogFilter, LogView, SpanView, TraceFilter, TraceSummary } from '../../model/queries';
import { TimeSeries } from '../../timeseries/timeSeries';
import type { SharedStore, StoreLimits, StoreStats } from '../api';
import { fsyncDir, writeFileAtomic } from '../atomicFile';
import { JournalWriter } from '../journal';
import { recoverJournal } from '../journalRecovery';
import { toRowBatch } from '../rows';
import type { LocatedSpanRow } from '../segment';
import { DEFAULT_LIMITS } from '../storeOptions';
import { ChConn, errText } from './conn';
import { clusterFileSummary, clusterFiles } from './clusterSummary';
import { Inserter } from './inserter';
import { filesSql, locatedSql, logsSql, traceSql, tracesSql, type TraceRow } from './queries';
import { migrate, PROGRESS, ROW_TABLES, STATE, type RowTable } from './schema';
import { RecordTail } from './recordTail';
import { ident, int, str } from './sqlText';
import { toLocatedSpan, toLogView, toSpanView, type LocatedRecord, type LogRecordRow, type SpanRecord } from './tableRows';

export interface ClickHouseStoreOptions {
  /** Local folder: journals, the series checkpoint, the origin id. */
  dir: string;
  url: string;
  database: string;
  user?: string;
  /** From $VIBEWATCH_CLICKHOUSE_PASSWORD, never argv. */
  password?: string;
  /** A `remote_servers` cluster: rows go to `<table>_local` on this server, reads and
   *  summaries go through `Distributed` tables over the cluster. */
  cluster?: string;
  limits?: Partial<StoreLimits>;
  log?: (event: string, fields: Record<string, unknown>) => void;
  now?: () => number;
  checkpointIntervalMs?: number;
  retentionIntervalMs?: number;
  journalMaxBytes?: number;
  /** Rows, or journal bytes, waiting for ClickHouse above which consume refuses (503).
   *  Defaults 200k rows, 64 MiB (the queued records live in the heap). */
  maxPendingRows?: number;
  maxPendingBytes?: number;
  /** Rows per insert round. Default 20k. */
  insertMaxRows?: number;
  requestTimeoutMs?: number;
  /** Retry delay after a failed insert (doubles up to 5 s). Default 200 ms. */
  retryBackoffMs?: number;
  summaryWindowMs?: number;
  /** How long shutdown waits for ClickHouse to take what is queued (the rest stays in the
   *  journal for the next start). Default 15 s. */
  drainTimeoutMs?: number;
}

interface Progress {
  origin: string;
  insertedSeq: number;
}

interface Rolled {
  path: string;
  maxQ: number;
  closing: Promise<void>;
}


export class ClickHouseStore implements SharedStore {
  readonly shared = true as const;
  readonly series = new TimeSeries();
  private readonly limits: StoreLimits;
  private readonly log: NonNullable<ClickHouseStoreOptions['log']>;
  private readonly now: () => number;
  private readonly db: string;
  private readonly conn: ChConn;
  private inserter?: Inserter;
  private origin = '';
  private journal?: JournalWriter;
  private journalId = 0;
  private journalMaxQ = 0;
  private rolled: Rolled[] = [];
  private seq = 0;
  private tail: Promise<void> = Promise.resolve();
  private checkpointChain: Promise<void> = Promise.resolve();
  private stateChain: Promise<void> = Promise.resolve();
  private stateVersion = 0;
  private corruptSkipped = 0;
  private readonly timers: StoreTimers;
  private started = false;
  private stopped = false;

  constructor(private readonly opts: ClickHouseStoreOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.log = opts.log ?? ((event, fields) => process.stderr.write(JSON.stringify({ event, ...fields }) + '\n'));
    this.now = opts.now ?? Date.now;
    this.timers = new StoreTimers(this.log);
    this.db = ident(opts.database, 'ClickHouse database');
    if (opts.cluster) ident(opts.cluster, 'ClickHouse cluster');
    // In a cluster a shard whose collector has not made its tables yet (or that is down)
    // is skipped by reads rather than failing them: a team view of the shards that answer.
    const readSettings = opts.cluster ? { skip_unavailable_shards: 1 } : undefined;
    this.conn = new ChConn({ url: opts.url, user: opts.user, password: opts.password, requestTimeoutMs: opts.requestTimeoutMs, readSettings });
  }

  /** Table rows are written to (this server's own). */
  private writeTable(t: string): string {
    return `${this.db}.${this.opts.cluster ? `${t}_local` : t}`;
  }

  /** Table reads go to (the whole cluster's, through Distributed, in a cluster). */
  private readTable(t: string): string {
    return `${this.db}.${t}`;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const dir = this.opts.dir;
    mkdirSync(dir, { recursive: true });
    try {
      await this.conn.rows('SELECT 1 AS ok');
    } catch (err) {
      throw new Error(`ClickHouse at ${this.opts.url} (--clickhouse-url) cannot be reached: ${errText(err)}`);
    }
    const m = await migrate(this.conn, { database: this.db, cluster: this.opts.cluster });
    if (m.from !== m.to) this.log('clickhouse.migrated', { database: this.db, from: m.from, to: m.to });
    const progress = this.loadProgress();
    this.origin = progress.origin;
    // Saved before the first record is journaled: a replay after a crash must look for the
    // rows under the same origin.
    await writeFileAtomic(join(dir, 'clickhouse.json'), JSON.stringify(progress));
    this.seq = progress.insertedSeq;
    this.inserter = new Inserter({
      conn: this.conn,
      table: (t) => this.writeTable(t),
      origin: this.origin,
      insertedSeq: progress.insertedSeq,
      log: this.log,
      setAside: (rb, err) => writeFileAtomic(join(dir, `rejected-${rb.q}.json`), JSON.stringify({ error: err, record: rb })),
      maxRows: this.opts.insertMaxRows,
      backoffMs: this.opts.retryBackoffMs,
    });
    const ids = journalIds(dir);
    let replayed = 0;
    for (const id of ids) {
      const path = join(dir, journalName(id));
      const r = recoverJournal(id, path, this.log);
      this.corruptSkipped += r.skipped;
      let maxQ = 0;
      for (const [i, rb] of r.batches.entries()) {
        if (rb.q > progress.insertedSeq) {
          this.inserter.push(rb, r.payloads[i].length, true);
          replayed++;
        }
        maxQ = Math.max(maxQ, rb.q);
      }
      this.seq = Math.max(this.seq, maxQ);
      this.rolled.push({ path, maxQ, closing: Promise.resolve() });
    }
    this.journalId = (ids[ids.length - 1] ?? 0) + 1;
    this.journal = new JournalWriter(join(dir, journalName(this.journalId)), 0);
    await fsyncDir(dir);
    this.timers.every(this.opts.checkpointIntervalMs ?? 30_000, () => this.checkpoint());
    this.timers.every(this.opts.retentionIntervalMs ?? 60_000, () => this.enforceRetention());
    this.log('store.started', { backend: 'clickhouse', url: this.opts.url, database: this.db, cluster: this.opts.cluster ?? null, origin: this.origin, seq: this.seq, replayed, corruptSkipped: this.corruptSkipped });
  }

  private loadProgress(): Progress {
    const path = join(this.opts.dir, 'clickhouse.json');
    let p: Progress | undefined;
    if (existsSync(path)) readOrSetAside(path, () => {
      const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<Progress>;
      if (typeof v.origin !== 'string' || !/^[0-9a-f]{16}$/.test(v.origin) || typeof v.insertedSeq !== 'number') throw new Error('not an origin and a sequence');
      p = { origin: v.origin, insertedSeq: v.insertedSeq };
    }, this.log);
    // A fresh folder is a new origin: its sequence numbers start again, so they must not
    // be confused with another folder's rows in the same tables.
    return p ?? { origin: randomBytes(8).toString('hex'), insertedSeq: 0 };
  }

  async consume(batch: TelemetryBatch): Promise<void> {
    const journal = this.journal;
    const inserter = this.inserter;
    if (!journal || !inserter || this.stopped) throw new Error('store is not running');
    if (inserter.pendingRows >= (this.opts.maxPendingRows ?? 200_000) || inserter.pendingBytes >= (this.opts.maxPendingBytes ?? 64 * 1024 * 1024)) {
      const down = inserter.downSince === undefined ? '' : `, failing since ${new Date(inserter.downSince).toISOString()}`;
      throw new Error(`ClickHouse is behind (${inserter.pendingRows} rows, ${Math.round(inserter.pendingBytes / 1048576)} MiB waiting to be inserted${down}); retry later`);
    }
    const rb = toRowBatch(batch);
    rb.q = ++this.seq;
    this.journalMaxQ = rb.q;
    const payload = JSON.stringify(rb);
    const durable = journal.append(payload);
    const posted = this.tail.then(() => durable.then(
      () => inserter.push(rb, payload.length),
      (err: unknown) => {
        this.log('store.journalWriteFailed', { seq: rb.q, message: errText(err) });
        throw err;
      },
    ));
    this.tail = posted.catch(() => undefined);
    if (journal.bytes >= (this.opts.journalMaxBytes ?? 64 * 1024 * 1024)) this.roll();
    await posted;
  }

  /** Starts a new journal; the old one is deleted once the checkpoint and ClickHouse cover it. */
  private roll(): void {
    const old = this.journal!;
    this.rolled.push({ path: old.path, maxQ: this.journalMaxQ, closing: old.close() });
    this.journalId++;
    this.journal = new JournalWriter(join(this.opts.dir, journalName(this.journalId)), 0);
  }

  /** Writes the inserted sequence, then deletes the journals ClickHouse has all of.
   *  Serialised; each takes its snapshot when its turn comes. */
  checkpoint(): Promise<void> {
    const p = this.checkpointChain.then(async () => {
      if (!this.inserter) return;
      await this.journal?.flush();
      const inserted = this.inserter.insertedSeq;
      await writeFileAtomic(join(this.opts.dir, 'clickhouse.json'), JSON.stringify({ origin: this.origin, insertedSeq: inserted } satisfies Progress));
      const covered = inserted;
      const gone = this.rolled.filter((r) => r.maxQ <= covered);
      if (!gone.length) return;
      await Promise.all(gone.map((r) => r.closing));
      for (const r of gone) if (existsSync(r.path)) unlinkSync(r.path);
      this.rolled = this.rolled.filter((r) => !gone.includes(r));
      await fsyncDir(this.opts.dir);
    });
    this.checkpointChain = p.catch((err: unknown) => this.log('store.checkpointFailed', { message: errText(err) }));
    return p;
  }

  /** Resolves when every record acknowledged so far is in ClickHouse (tests, the bench). */
  async flushed(): Promise<void> {
    await this.tail;
    await this.inserter?.idle();
  }

  /** Set by the team's analysis while it holds the lease and its series have caught up with
   *  every collector's stored records: the lens figures then come from memory. */
  seriesCurrent = false;

  /** A reader of every collector's stored records past per-origin cursors (recordTail.ts). */
  recordTail(maxRecords?: number): RecordTail {
    return new RecordTail({ conn: this.conn, table: (t) => this.readTable(t), maxRecords });
  }

  async fileSummary(file: string): Promise<FileSummary> {
    const windowMs = this.opts.summaryWindowMs ?? 24 * 3_600_000;
    if (this.seriesCurrent) return this.series.lines.summary(file, this.now(), windowMs);
    return clusterFileSummary(this.conn, this.readTable('spans'), this.readTable('logs'), file, this.now(), windowMs);
  }

  async filesWithData(): Promise<string[]> {
    if (this.seriesCurrent) return this.series.lines.files();
    return clusterFiles(this.conn, filesSql(this.readTable('spans'), this.readTable('logs')));
  }

  async traces(filter: TraceFilter): Promise<TraceSummary[]> {
    const rows = await this.conn.rows<TraceRow>(tracesSql(this.readTable('spans'), filter));
    return rows.map((r) => ({
      traceId: r.trace_id,
      rootName: r.root,
      service: r.svc,
      startMs: Number(r.st),
      durationMs: Number(r.en) - Number(r.st),
      spanCount: Number(r.n),
      errorCount: Number(r.errs),
    }));
  }

  async trace(traceId: string): Promise<SpanView[]> {
    return (await this.conn.rows<SpanRecord>(traceSql(this.readTable('spans'), traceId))).map(toSpanView);
  }

  async locatedSpans(limit: number): Promise<LocatedSpanRow[]> {
    return (await this.conn.rows<LocatedRecord>(locatedSql(this.readTable('spans'), limit))).map(toLocatedSpan);
  }

  async logs(filter: LogFilter): Promise<LogView[]> {
    return (await this.conn.rows<LogRecordRow>(logsSql(this.readTable('logs'), filter))).map(toLogView);
  }

  async stats(): Promise<StoreStats> {
    const count = async (t: string) => Number((await this.conn.rows<{ n: string }>(`SELECT count() AS n FROM ${this.readTable(t)}`))[0]?.n ?? 0);
    const local = ROW_TABLES.map((t) => str(this.writeTable(t).split('.')[1])).join(', ');
    const [parts] = await this.conn.rows<{ bytes: string; days: string }>(
      `SELECT sum(bytes) AS bytes, uniqExact(partition) AS days FROM system.parts WHERE active AND database = ${str(this.db)} AND table IN (${local})`);
    const ins = this.inserter;
    return {
      storageBytes: Number(parts?.bytes ?? 0) + (this.journal?.bytes ?? 0),
      segments: Number(parts?.days ?? 0),
      spans: await count('spans'),
      logs: await count('logs'),
      metricPoints: await count('metric_points'),
      sampledAway: 0,
      corruptSkipped: this.corruptSkipped,
      pendingRaw: ins?.pendingRows ?? 0,
      insertFailures: (ins?.failures ?? 0) + (ins?.setAsideCount ?? 0),
      aggregateOverflow: this.series.overflow,
    };
  }

  async getState<T>(key: string): Promise<T | undefined> {
    await this.stateChain;
    const rows = await this.conn.rows<{ v: string }>(`SELECT argMax(value, version) AS v FROM ${this.readTable(STATE)} WHERE key = ${str(key)} GROUP BY key`);
    const v = rows[0]?.v;
    return v ? (JSON.parse(v) as T) : undefined;
  }

  async listState<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    await this.stateChain;
    const rows = await this.conn.rows<{ key: string; v: string }>(
      `SELECT key, argMax(value, version) AS v FROM ${this.readTable(STATE)} WHERE substring(key, 1, ${int(Buffer.byteLength(prefix))}) = ${str(prefix)} GROUP BY key ORDER BY key`);
    return rows.filter((r) => r.v).map((r) => ({ key: r.key, value: JSON.parse(r.v) as T }));
  }

  /** Last write wins (by a version from the clock, increasing within a process); an empty
   *  value is a deletion. Resolves once ClickHouse acknowledged the insert. */
  putState(key: string, value: unknown): Promise<void> {
    const text = value === undefined ? '' : JSON.stringify(value);
    this.stateVersion = Math.max(this.stateVersion + 1, this.now() * 1000);
    const version = this.stateVersion;
    const p = this.stateChain.then(() => this.conn.insert(this.writeTable(STATE), [{ key, value: text, version, at: Math.floor(this.now() / 1000) }]));
    this.stateChain = p.catch(() => undefined);
    return p;
  }

  /** Drops whole days (partitions) of raw rows: older than `rawMaxAgeMs` (a day goes once
   *  all of it is older), then the oldest while this server's parts exceed `rawMaxBytes`
   *  (never today's). Aggregate cells are pruned as SqlStore does. */
  async enforceRetention(nowMs: number = this.now()): Promise<void> {
    this.series.prune(nowMs, this.limits.aggregateMaxAgeMs);
    const tables = [...ROW_TABLES, PROGRESS].map((t) => this.writeTable(t).split('.')[1]);
    const parts = await this.conn.rows<{ partition: string; bytes: string }>(
      `SELECT partition, sum(bytes) AS bytes FROM system.parts WHERE active AND database = ${str(this.db)} AND table IN (${tables.map(str).join(', ')}) GROUP BY partition ORDER BY partition`);
    const cutoffDay = new Date(Math.max(0, nowMs - this.limits.rawMaxAgeMs)).toISOString().slice(0, 10);
    const today = new Date(nowMs).toISOString().slice(0, 10);
    const drop: string[] = [];
    let total = parts.reduce((n, p) => n + Number(p.bytes), 0);
    for (const p of parts) {
      const old = p.partition < cutoffDay;
      const big = total > this.limits.rawMaxBytes && p.partition < today;
      if (!old && !big) continue;
      drop.push(p.partition);
      total -= Number(p.bytes);
    }
    for (const day of drop) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
      for (const t of tables) await this.conn.exec(`ALTER TABLE ${this.db}.${t} DROP PARTITION ${str(day)}`);
    }
    if (drop.length) this.log('store.retention', { droppedDays: drop, bytesAfter: total });
  }

  async clear(): Promise<void> {
    const ins = this.inserter!;
    await this.tail;
    await ins.pause();
    try {
      ins.dropQueued(this.seq);
      for (const t of [...ROW_TABLES, STATE, PROGRESS]) await this.conn.exec(`TRUNCATE TABLE ${this.writeTable(t)}`);
      this.series.clear();
      await Promise.all(this.rolled.map((r) => r.closing));
      for (const r of this.rolled.splice(0)) if (existsSync(r.path)) unlinkSync(r.path);
      const old = this.journal!;
      await old.close();
      unlinkSync(old.path);
      this.journal = new JournalWriter(old.path, 0);
      await this.checkpoint();
    } finally {
      ins.resume();
    }
    this.log('store.cleared', {});
  }

  async shutdown(): Promise<void> {
    if (!this.started || this.stopped) return;
    this.stopped = true;
    this.timers.clear();
    await this.tail;
    const ins = this.inserter;
    let drained = false;
    if (ins) {
      const wait = this.opts.drainTimeoutMs ?? 15_000;
      let timer: NodeJS.Timeout | undefined;
      drained = await Promise.race([ins.idle().then(() => true), new Promise<boolean>((r) => { timer = setTimeout(() => r(false), wait); })]);
      clearTimeout(timer);
      await ins.stop();
    }
    const journal = this.journal;
    if (journal) {
      this.rolled.push({ path: journal.path, maxQ: this.journalMaxQ, closing: journal.close() });
      this.journal = undefined;
    }
    await this.checkpoint().catch(() => undefined);
    this.log('store.shutdown', { backend: 'clickhouse', drained, pendingRows: ins?.pendingRows ?? 0, journalsKept: this.rolled.length });
    await this.stateChain;
    await this.conn.close();
  }

  /** Stops without draining or checkpointing: what a crash leaves behind (tests). */
  async abort(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.clear();
    this.journal?.closeNow();
    await this.inserter?.stop();
    await this.conn.close();
  }

  /** For tests: this collector's origin id (rows it wrote carry it). */
  get originId(): string {
    return this.origin;
  }

  /** Rows this origin stored with journal sequence `seq` (tests). */
  async rowsOf(table: RowTable, seq: number): Promise<number> {
    const r = await this.conn.rows<{ n: string }>(`SELECT count() AS n FROM ${this.readTable(table)} WHERE origin = ${str(this.origin)} AND seq = ${int(seq)}`);
    return Number(r[0]?.n ?? 0);
  }
}
