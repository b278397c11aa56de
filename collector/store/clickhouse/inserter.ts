// Moves durable journal records into ClickHouse, in journal order, exactly once.
// - Records queue here once their journal frame is fsync'd (the exporter already has its
//   answer). Whatever queued while an insert was in flight goes in the next one (one INSERT
//   per table per round: group commit), at most `maxRows` rows per round.
// - A failed round (ClickHouse down, restarting, timed out) is retried with backoff, forever
//   for network errors. The records of a failed round are *uncertain*: the server may have
//   stored some tables' rows (or all of them, if only the answer was lost). Before an uncertain
//   round is inserted again the rows already there are looked up by (origin, seq, ix) and left
//   out, so each row is stored once. 18.16's MergeTree does not deduplicate inserts itself.
//   Each insert carries a query id made of (origin, first seq, table): a retry while the
//   server is still running the first attempt is refused by ClickHouse rather than doubled.
// - The server refusing the same round 5 times (bad row, a setting) is not going to pass: the
//   round is split into single records, and a single record refused 5 times is written to
//   `setAside` (a file in the storage folder, with the error) and counted, so one bad record
//   cannot stop ingest forever and is not silently lost.
// - After a round stored every table's rows, a progress row (origin, last seq) says so: the
//   team's analysis reads records only up to it (recordTail.ts), never half a round. A
//   failed progress insert fails the round (retried as uncertain); a set-aside record is
//   covered by the next round's progress row.
// - `insertedSeq`: every record up to it is stored (or set aside). The store saves it, and
//   replays the journal past it on start, as uncertain records.
import type { RowBatch } from '../rows';
import { errText, isServerError, type ChConn } from './conn';
import { PROGRESS, ROW_TABLES, type RowTable } from './schema';
import { int, str } from './sqlText';
import { tableRows, type TableRows } from './tableRows';
import { WakeableSleep } from '../wakeableSleep';

export interface InserterOptions {
  conn: ChConn;
  /** Qualified name of the table rows are written to. */
  table: (t: RowTable | typeof PROGRESS) => string;
  origin: string;
  insertedSeq: number;
  log: (event: string, fields: Record<string, unknown>) => void;
  setAside: (rb: RowBatch, err: string) => Promise<void>;
  maxRows?: number;
  /** First retry delay; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const rowCount = (rb: RowBatch): number => rb.sp.length + rb.lg.length + rb.mt.length;
const SERVER_REFUSALS = 5;

export class Inserter {
  private queue: RowBatch[] = [];
  /** Journal bytes of each queued record (same order as `queue`). */
  private sizes: number[] = [];
  private running?: Promise<void>;
  private stopped = false;
  private paused = 0;
  private readonly waits = new WakeableSleep();
  private idleWaiters: (() => void)[] = [];
  /** Records with q ≤ this may be partly stored already. */
  private uncertainUpTo = 0;
  private refusals = 0;
  private single = false;
  /** Rows queued (not yet stored), and their journal bytes (memory is a few times that). */
  pendingRows = 0;
  pendingBytes = 0;
  insertedSeq: number;
  /** Failed rounds (each retried). */
  failures = 0;
  /** Records refused by the server and set aside. */
  setAsideCount = 0;
  /** Since when ClickHouse has been failing, or undefined. */
  downSince?: number;

  constructor(private readonly o: InserterOptions) {
    this.insertedSeq = o.insertedSeq;
  }

  /** Queues a durable record; records must come in journal order. */
  push(rb: RowBatch, bytes: number, uncertain = false): void {
    if (rb.q <= this.insertedSeq) return;
    if (uncertain) this.uncertainUpTo = Math.max(this.uncertainUpTo, rb.q);
    this.queue.push(rb);
    this.sizes.push(bytes);
    this.pendingRows += rowCount(rb);
    this.pendingBytes += bytes;
    this.kick();
  }

  get queuedRecords(): number {
    return this.queue.length;
  }

  /** Resolves when every record queued so far is stored (or set aside). */
  idle(): Promise<void> {
    if (!this.queue.length && !this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Waits for the round in flight, then holds inserts until `resume`. */
  async pause(): Promise<void> {
    this.paused++;
    await this.running;
  }

  resume(): void {
    this.paused--;
    this.kick();
  }

  /** Drops every queued record (Clear Data: they are gone from ClickHouse too). */
  dropQueued(upTo: number): void {
    this.queue = [];
    this.sizes = [];
    this.pendingRows = 0;
    this.pendingBytes = 0;
    this.insertedSeq = Math.max(this.insertedSeq, upTo);
    this.uncertainUpTo = 0;
    this.notifyIdle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waits.wake();
    await this.running;
  }

  private kick(): void {
    if (this.running || this.stopped || this.paused || !this.queue.length) return;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.queue.length && !this.stopped && !this.paused) this.kick();
      else this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (this.queue.length || this.running) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async loop(): Promise<void> {
    let backoff = this.o.backoffMs ?? 200;
    while (this.queue.length && !this.stopped && !this.paused) {
      const group = this.take();
      try {
        await this.insert(group);
      } catch (err) {
        this.failures++;
        this.uncertainUpTo = Math.max(this.uncertainUpTo, group[group.length - 1].q);
        if (this.downSince === undefined) {
          this.downSince = Date.now();
          this.o.log('clickhouse.insertFailed', { seq: group[0].q, records: group.length, message: errText(err), note: 'kept in the journal; retried' });
        }
        if (isServerError(err) && ++this.refusals >= SERVER_REFUSALS) {
          this.refusals = 0;
          if (group.length > 1) this.single = true;
          else {
            await this.o.setAside(group[0], errText(err));
            this.setAsideCount++;
            this.done(group);
            continue;
          }
        }
        await this.waits.sleep(backoff);
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs ?? 5_000);
        continue;
      }
      if (this.downSince !== undefined) {
        this.o.log('clickhouse.insertResumed', { seq: group[0].q, downMs: Date.now() - this.downSince });
        this.downSince = undefined;
      }
      backoff = this.o.backoffMs ?? 200;
      this.refusals = 0;
      this.single = false;
      this.done(group);
    }
  }

  private done(group: RowBatch[]): void {
    this.queue.splice(0, group.length);
    for (const b of this.sizes.splice(0, group.length)) this.pendingBytes -= b;
    for (const rb of group) this.pendingRows -= rowCount(rb);
    this.insertedSeq = Math.max(this.insertedSeq, group[group.length - 1].q);
  }

  private take(): RowBatch[] {
    if (this.single) return this.queue.slice(0, 1);
    const max = this.o.maxRows ?? 20_000;
    let rows = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || rows + rowCount(this.queue[n]) <= max)) rows += rowCount(this.queue[n++]);
    return this.queue.slice(0, n);
  }

  private async insert(group: RowBatch[]): Promise<void> {
    const all: TableRows = { spans: [], logs: [], metric_points: [] };
    for (const rb of group) {
      const t = tableRows(rb, this.o.origin);
      for (const name of ROW_TABLES) for (const r of t[name]) all[name].push(r);
    }
    const first = group[0].q;
    const last = group[group.length - 1].q;
    const uncertain = first <= this.uncertainUpTo;
    for (const name of ROW_TABLES) {
      let rows = all[name];
      if (!rows.length) continue;
      if (uncertain) {
        const there = await this.o.conn.rows<{ seq: string; ix: number }>(
          `SELECT seq, ix FROM ${this.o.table(name)} WHERE origin = ${str(this.o.origin)} AND seq >= ${int(first)} AND seq <= ${int(last)}`);
        if (there.length) {
          const have = new Set(there.map((r) => `${r.seq}:${r.ix}`));
          rows = rows.filter((r) => !have.has(`${r.seq}:${r.ix}`));
          this.o.log('clickhouse.replayDeduplicated', { table: name, seqFrom: first, seqTo: last, alreadyStored: have.size, inserted: rows.length });
        }
      }
      if (rows.length) await this.o.conn.insertLines(this.o.table(name), rows.map((r) => r.line).join('\n'), `${this.o.origin}-${first}-${name}`);
    }
    const atMs = Date.now();
    const day = new Date(atMs).toISOString().slice(0, 10);
    await this.o.conn.insertLines(this.o.table(PROGRESS), JSON.stringify({ day, origin: this.o.origin, seq: last, at: Math.floor(atMs / 1000) }), `${this.o.origin}-${first}-${PROGRESS}`);
    if (uncertain && last >= this.uncertainUpTo) this.uncertainUpTo = 0;
  }
}
