// The sql.js-backed TelemetryStore. Design (see README.md in this folder):
//  - consume: rows built once → raw-span sampling when the engine lags → journal append
//    (group-committed fsync) → once durable: aggregates (exact) and engine insert (worker
//    thread; lags behind the journal, bounded by the sampling limits) → `consume` resolves.
//    A batch whose journal write fails is rejected (→ 503) and reaches neither the aggregates
//    nor the engine, so the exporter's retry does not store it twice.
//  - engine calls that depend on journal order (inserts, seal + open of the next segment,
//    clear) are posted through one chain in consume order (`engineTail`): an insert waits for
//    its own fsync, and a seal is posted after every insert of its journal.
//  - the open segment lives in the engine; it is sealed after `segmentMaxAgeMs` or
//    `segmentMaxBytes`, then its journal is deleted once the aggregates checkpoint covers it.
//  - start: load state and the aggregates checkpoint, delete journals whose segment is
//    sealed, replay the others into the engine (and into the aggregates past `lastSeq`).
import { existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { errText, journalIds, journalName, readOrSetAside, StoreTimers } from './storeFolder';
import { join } from 'node:path';
import type { TelemetryBatch } from '../model/types';
import type { FileSummary, LogFilter, LogView, SpanView, TraceFilter, TraceSummary } from '../model/queries';
import { TimeSeries } from '../timeseries/timeSeries';
import type { StoreLimits, StoreStats, TelemetryStore } from './api';
import { writeFileAtomic, fsyncDir } from './atomicFile';
import type { OpenInfo, EngineStats, SegmentMeta } from './engine';
import type { LocatedSpanRow } from './segment';
import { inlineLink, workerLink } from './engineLink';
import type { EngineLink } from './engineLink';
import { JournalWriter } from './journal';
import { recoverJournal } from './journalRecovery';
import type { RowBatch } from './rows';
import { toRowBatch } from './rows';
import { sampleSpans } from './sampler';
import type { SampleMode } from './sampler';
import { StateFile } from './stateFile';
import { CHECKPOINT_EVERY_SEALS, DEFAULT_LIMITS, ENGINE_CHUNK_ROWS, JOURNAL_MAX_FACTOR, JOURNAL_TO_SEGMENT, MAX_ROLLS, QUEUE_HARD_BYTES, QUEUE_SOFT_BYTES, SEGMENT_MAX_BYTES } from './storeOptions';
import type { SqlStoreOptions } from './storeOptions';

export { DEFAULT_LIMITS } from './storeOptions';
export type { SqlStoreOptions } from './storeOptions';


export class SqlStore implements TelemetryStore {
  private readonly limits: StoreLimits;
  /** The span series (lens lines, per-revision cells) and their checkpoint, `aggregates.json`. */
  readonly series = new TimeSeries();
  private readonly state: StateFile;
  private readonly log: NonNullable<SqlStoreOptions['log']>;
  private readonly timers: StoreTimers;
  private readonly now: () => number;
  private link?: EngineLink;
  private journal?: JournalWriter;
  private openId = 0;
  private openSince = 0;
  private openInfo: OpenInfo = { id: 0, bytes: 0, rows: 0, openedAt: 0 };
  private seq = 0;
  private pendingRaw = 0;
  private pendingBytes = 0;
  /** Payload bytes sent to the engine for the open segment. */
  private openSentBytes = 0;
  private sampledAway = 0;
  private corruptSkipped = 0;
  private insertFailures = 0;
  /** Rolls in flight (at most MAX_ROLLS): a slow seal must not let the open segment grow. */
  private readonly rolls = new Set<Promise<void>>();
  /** Journals whose segment is sealed, deleted by the next aggregates checkpoint. */
  private sealedJournals: string[] = [];
  private checkpointChain: Promise<void> = Promise.resolve();
  /** Posting order of order-dependent engine calls (see the header). Never rejects. */
  private engineTail: Promise<void> = Promise.resolve();
  private checkpointQueued?: Promise<void>;
  private closingJournals = new Set<Promise<void>>();
  private started = false;
  private stopped = false;

  constructor(private readonly opts: SqlStoreOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.state = new StateFile(join(opts.dir, 'state.json'));
    this.log = opts.log ?? ((event, fields) => process.stderr.write(JSON.stringify({ event, ...fields }) + '\n'));
    this.timers = new StoreTimers(this.log);
    this.now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const dir = this.opts.dir;
    mkdirSync(dir, { recursive: true });
    readOrSetAside(join(dir, 'state.json'), () => this.state.load(), this.log);
    const ckptPath = join(dir, 'aggregates.json');
    if (existsSync(ckptPath)) {
      readOrSetAside(ckptPath, () => {
        const { migratedFrom } = this.series.restore(JSON.parse(readFileSync(ckptPath, 'utf8')));
        if (migratedFrom !== undefined) this.log('store.checkpointMigrated', { path: ckptPath, from: migratedFrom, note: 'per-revision cells start empty' });
      }, this.log);
    }
    const engineOpts = { lruSize: this.opts.lruSegments ?? 1, log: this.log, writeFile: this.opts.engineWriteFile };
    this.link = this.opts.worker === false ? await inlineLink(dir, engineOpts) : await workerLink(dir, engineOpts);
    const init = await this.link.call<{ sealed: SegmentMeta[]; maxId: number; maxSeq: number }>('init');
    const sealedIds = new Set(init.sealed.map((m) => m.id));
    this.seq = Math.max(this.series.lastSeq, init.maxSeq);
    const journals = journalIds(dir);
    let maxId = init.maxId;
    const unsealed: number[] = [];
    const redundant: string[] = [];
    for (const id of journals) {
      maxId = Math.max(maxId, id);
      const path = join(dir, journalName(id));
      if (!sealedIds.has(id)) {
        unsealed.push(id);
        continue;
      }
      // Sealed before the crash, journal not yet deleted: the segment has every record, but
      // the aggregates checkpoint may not; fold them in, delete after the next checkpoint.
      this.replay(id, path);
      redundant.push(path);
    }
    let reopenBytes = 0;
    for (const [n, id] of unsealed.entries()) {
      const path = join(dir, journalName(id));
      const { payloads, bytes } = this.replay(id, path);
      await this.link.call('openSegment', id);
      await Promise.all(payloads.map((p) => this.link!.call('insert', p)));
      // Only the newest journal stays open; older ones (a crash while sealing) are sealed now.
      if (n < unsealed.length - 1) await this.link.call('seal');
      else reopenBytes = bytes;
    }
    if (unsealed.length) {
      this.openId = unsealed[unsealed.length - 1];
      this.journal = new JournalWriter(join(dir, journalName(this.openId)), reopenBytes, this.opts.journalFs);
    } else {
      this.openId = maxId + 1;
      await this.link.call('openSegment', this.openId);
      this.journal = new JournalWriter(join(dir, journalName(this.openId)), 0, this.opts.journalFs);
    }
    this.openSince = this.now();
    redundant.push(...unsealed.slice(0, -1).map((id) => join(dir, journalName(id))));
    if (redundant.length) {
      await this.checkpoint(true);
      for (const path of redundant) unlinkSync(path);
    }
    await fsyncDir(dir);
    this.timers.every(this.opts.checkpointIntervalMs ?? 30_000, () => this.checkpoint());
    this.timers.every(this.opts.retentionIntervalMs ?? 60_000, () => this.enforceRetention());
    this.timers.every(5_000, () => this.maybeRoll());
    this.log('store.started', { dir, segments: init.sealed.length, openSegment: this.openId, seq: this.seq, corruptSkipped: this.corruptSkipped });
  }

  async consume(batch: TelemetryBatch): Promise<void> {
    const journal = this.journal;
    if (!journal || this.stopped) throw new Error('store is not running');
    const rb = toRowBatch(batch);
    rb.q = ++this.seq;
    // Back-pressure on raw storage: the engine's queue, and the open segment's size (it grows
    // past its limit only when seals are stuck, e.g. on a stalled disk).
    const over = this.openSentBytes / (this.segmentMaxBytes() * JOURNAL_TO_SEGMENT);
    const hard = this.pendingRaw >= (this.opts.rawQueueHard ?? 60_000) || this.pendingBytes >= QUEUE_HARD_BYTES || over >= 16;
    const soft = this.pendingRaw >= (this.opts.rawQueueSoft ?? 20_000) || this.pendingBytes >= QUEUE_SOFT_BYTES || over >= 2;
    const mode: SampleMode = this.opts.rawSampling === false ? 'all' : hard ? 'none' : soft ? 'errorsAndSlow' : 'all';
    const dropped = sampleSpans(rb, mode, this.opts.slowSpanMs ?? 1000);
    const payload = JSON.stringify(rb);
    const durable = journal.append(payload);
    const raw = rb.sp.length - dropped + rb.lg.length + rb.mt.length;
    // The engine gets only rows it will store: the journal keeps sampled spans (for the
    // aggregates on replay), the engine queue must stay bounded by what it keeps.
    // Big batches go in chunks: the worker parses each message at once, and a 20 MiB
    // request must not need hundreds of MB of worker heap.
    const inserts: string[] = raw > ENGINE_CHUNK_ROWS
      ? chunkRows(rb).map((chunk) => JSON.stringify(chunk))
      : raw > 0 ? [dropped ? JSON.stringify({ ...rb, sp: rb.sp.filter((sp) => sp.x !== 0) }) : payload] : [];
    // Counted now, not once durable: concurrent consumes must see each other in the
    // back-pressure and size checks. Given back if the journal write fails.
    const bytes = inserts.reduce((n, p) => n + p.length, 0);
    const segmentId = this.openId;
    this.openSentBytes += bytes;
    this.pendingRaw += raw;
    this.pendingBytes += bytes;
    const release = (): void => {
      this.pendingRaw -= raw;
      this.pendingBytes -= bytes;
    };
    const stored = (): void => {
      this.sampledAway += dropped;
      this.series.add(rb);
      void Promise.allSettled(inserts.map((p) => this.sendToEngine(p, rb.q))).then(release);
    };
    const failed = (err: unknown): void => {
      release();
      if (this.openId === segmentId) this.openSentBytes -= bytes;
      this.log('store.journalWriteFailed', { seq: rb.q, message: errText(err) });
    };
    const posted = this.engineTail.then(() => durable.then(stored, failed));
    this.engineTail = posted.catch((err: unknown) => this.log('store.engineOrderFailed', { seq: rb.q, message: errText(err) }));
    // Size check on what was sent, not on what the (possibly lagging) engine has inserted:
    // a segment is bounded even when the engine is behind.
    if (this.rollDue()) this.maybeRoll().catch((err: unknown) => this.log('store.rollFailed', { message: errText(err) }));
    // Resolves after the insert is posted, so a query made after the 200 sees the batch.
    await posted;
    await durable;
  }

  /** Runs `post` (which only posts engine calls) after every order-dependent call before it. */
  private inOrder(post: () => void): Promise<void> {
    const posted = this.engineTail.then(post);
    this.engineTail = posted.catch((err: unknown) => this.log('store.engineOrderFailed', { message: errText(err) }));
    return posted;
  }

  /** By size: what was sent to the open segment (a lagging engine has not inserted it yet),
   *  or the journal (sampled spans make it larger than the segment; it bounds replay time). */
  private rollDue(): boolean {
    const max = this.segmentMaxBytes();
    return this.openSentBytes >= max * JOURNAL_TO_SEGMENT || (this.journal?.bytes ?? 0) >= max * JOURNAL_MAX_FACTOR;
  }

  /** Posts one insert; the caller has counted it in the queue figures. */
  private sendToEngine(payload: string, seq: number): Promise<void> {
    return this.link!.call<OpenInfo>('insert', payload).then(
      (info) => {
        // A late ack from the segment being sealed must not trigger a roll of the new one.
        if (info.id === this.openId) this.openInfo = info;
        if (info.bytes >= this.segmentMaxBytes()) this.maybeRoll().catch((err: unknown) => this.log('store.rollFailed', { message: errText(err) }));
      },
      (err: unknown) => {
        this.insertFailures++;
        // The batch is in the journal: it is replayed into the segment on the next start.
        this.log('store.insertFailed', { seq, message: errText(err) });
      },
    );
  }

  private segmentMaxBytes(): number {
    return this.opts.segmentMaxBytes ?? SEGMENT_MAX_BYTES;
  }

  async fileSummary(file: string): Promise<FileSummary> {
    return this.series.lines.summary(file, this.now(), this.opts.summaryWindowMs ?? 24 * 3_600_000);
  }

  async filesWithData(): Promise<string[]> {
    return this.series.lines.files();
  }

  traces(filter: TraceFilter): Promise<TraceSummary[]> {
    return this.engine().call('traces', filter);
  }

  trace(traceId: string): Promise<SpanView[]> {
    return this.engine().call('trace', traceId);
  }

  locatedSpans(limit: number): Promise<LocatedSpanRow[]> {
    return this.engine().call('locatedSpans', limit);
  }

  logs(filter: LogFilter): Promise<LogView[]> {
    return this.engine().call('logs', filter);
  }

  async stats(): Promise<StoreStats> {
    const e = await this.engine().call<EngineStats>('stats');
    return {
      storageBytes: e.sealedBytes + (this.journal?.bytes ?? 0),
      segments: e.segments,
      spans: e.spans,
      logs: e.logs,
      metricPoints: e.metricPoints,
      sampledAway: this.sampledAway,
      corruptSkipped: this.corruptSkipped,
      pendingRaw: this.pendingRaw,
      insertFailures: this.insertFailures,
      aggregateOverflow: this.series.overflow,
    };
  }

  /** Memory of the engine's thread (diagnostics for the memory budget). */
  engineMemory(): Promise<{ heapUsed: number; external: number; arrayBuffers: number; loaded: number }> {
    return this.engine().call('memory');
  }

  async getState<T>(key: string): Promise<T | undefined> {
    return this.state.get<T>(key);
  }

  putState(key: string, value: unknown): Promise<void> {
    return this.state.put(key, value);
  }

  async enforceRetention(nowMs: number = this.now()): Promise<void> {
    this.series.prune(nowMs, this.limits.aggregateMaxAgeMs);
    await this.engine().call('retention', nowMs, this.limits.rawMaxAgeMs, this.limits.rawMaxBytes, this.journal?.bytes ?? 0);
  }

  async clear(): Promise<void> {
    await Promise.allSettled(this.rolls);
    let cleared!: Promise<unknown>;
    await this.inOrder(() => { cleared = this.engine().call('clear'); });
    await cleared;
    for (const path of this.sealedJournals.splice(0)) unlinkSync(path);
    this.series.clear();
    await this.state.clear();
    // The open journal's records are gone from the engine: start an empty journal.
    const old = this.journal!;
    await old.close();
    unlinkSync(old.path);
    this.journal = new JournalWriter(old.path, 0, this.opts.journalFs);
    await this.checkpoint();
    this.log('store.cleared', {});
  }

  async shutdown(): Promise<void> {
    if (!this.started || this.stopped) return;
    this.stopped = true;
    this.timers.clear();
    await Promise.allSettled(this.rolls);
    await this.journal?.flush();
    await this.engineTail;
    try {
      const sealed = await this.link!.call<SegmentMeta | null>('seal');
      await this.journal?.close();
      await Promise.all(this.closingJournals);
      await this.checkpoint(true);
      if (this.journal) unlinkSync(this.journal.path);
      if (sealed === null) this.log('store.shutdown', { sealed: false });
      else this.log('store.shutdown', { sealed: sealed.id, spans: sealed.spans });
    } finally {
      await this.link!.close();
    }
  }

  /** Stops timers and the engine without flushing, sealing or checkpointing: what a crash
   *  leaves on disk. For tests and for a supervisor that gives up on a wedged store. */
  async abort(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.clear();
    this.journal?.closeNow();
    await this.link?.close();
  }

  /** Seals the open segment now (also done by size/age). Resolves when it and every
   *  earlier roll are sealed; their journals are deleted by the next checkpoint. */
  roll(): Promise<void> {
    const earlier = [...this.rolls];
    const oldJournal = this.journal!;
    const newId = this.openId + 1;
    // Swap synchronously: every record appended after this line belongs to the new segment.
    this.journal = new JournalWriter(join(this.opts.dir, journalName(newId)), 0, this.opts.journalFs);
    this.openId = newId;
    this.openSince = this.now();
    this.openInfo = { id: newId, bytes: 0, rows: 0, openedAt: this.openSince };
    this.openSentBytes = 0;
    let sealing!: Promise<SegmentMeta | null>;
    let opened!: Promise<unknown>;
    // Posted after every insert of the old journal, and before any insert of the new one.
    const posted = this.inOrder(() => {
      sealing = this.link!.call<SegmentMeta | null>('seal');
      opened = this.link!.call('openSegment', newId);
    });
    const closing = oldJournal.close();
    this.closingJournals.add(closing);
    const p = (async () => {
      try {
        await posted;
        await Promise.all([sealing, opened, closing]);
      } finally {
        this.closingJournals.delete(closing);
      }
      // The journal goes once an aggregates checkpoint covers its records. Checkpoints are
      // not tied to every seal: a big checkpoint per seal would cost more than the seal.
      this.sealedJournals.push(oldJournal.path);
      if (this.sealedJournals.length >= CHECKPOINT_EVERY_SEALS) this.checkpoint().catch((err: unknown) => this.log('store.checkpointFailed', { message: errText(err) }));
      await Promise.all(earlier);
    })();
    this.rolls.add(p);
    const done = (): void => void this.rolls.delete(p);
    p.then(done, done);
    return p;
  }

  /** Writes the aggregates checkpoint. Checkpoints are serialised, each takes its snapshot
   *  when its turn comes (so a later file is never older), and is written only once every
   *  record it covers is durable in a journal. `force` queues a fresh one even when one is
   *  already waiting (used before deleting a journal). */
  checkpoint(force = false): Promise<void> {
    if (!force && this.checkpointQueued) return this.checkpointQueued;
    const p = this.checkpointChain.then(async () => {
      if (this.checkpointQueued === p) this.checkpointQueued = undefined;
      const snap = JSON.stringify(this.series.checkpoint(this.now()));
      // Sealed journals hold only records appended before their roll: all in this snapshot.
      const covered = this.sealedJournals.splice(0);
      try {
        await Promise.all([this.journal?.flush(), ...this.closingJournals]);
        await writeFileAtomic(join(this.opts.dir, 'aggregates.json'), snap);
      } catch (err) {
        this.sealedJournals.unshift(...covered);
        throw err;
      }
      for (const path of covered) unlinkSync(path);
      if (covered.length) await fsyncDir(this.opts.dir);
    });
    this.checkpointQueued = p;
    this.checkpointChain = p.catch((err: unknown) => this.log('store.checkpointFailed', { message: errText(err) }));
    return p;
  }

  private async maybeRoll(): Promise<void> {
    if (this.rolls.size >= MAX_ROLLS || this.stopped) return;
    const tooBig = this.openInfo.bytes >= this.segmentMaxBytes() || this.rollDue();
    const tooOld = this.now() - this.openSince >= (this.opts.segmentMaxAgeMs ?? 10 * 60_000) && (this.journal?.bytes ?? 0) > 0;
    if (tooBig || tooOld) await this.roll();
  }

  private engine(): EngineLink {
    if (!this.link) throw new Error('store is not started');
    return this.link;
  }

  /** Reads a journal for recovery (collector/store/journalRecovery.ts), folding records
   *  past the checkpoint into the aggregates and counting what was skipped. */
  private replay(id: number, path: string): { payloads: string[]; bytes: number } {
    const r = recoverJournal(id, path, this.log);
    for (const rb of r.batches) {
      this.series.add(rb);
      if (rb.q > this.seq) this.seq = rb.q;
    }
    this.corruptSkipped += r.skipped;
    return { payloads: r.payloads, bytes: r.bytes };
  }
}


/** The rows of `rb` the engine keeps, in row batches of at most ENGINE_CHUNK_ROWS rows. */
function chunkRows(rb: RowBatch): RowBatch[] {
  const rows: [keyof Pick<RowBatch, 'sp' | 'lg' | 'mt'>, unknown][] = [
    ...rb.sp.filter((s) => s.x !== 0).map((r) => ['sp', r] as ['sp', unknown]),
    ...rb.lg.map((r) => ['lg', r] as ['lg', unknown]),
    ...rb.mt.map((r) => ['mt', r] as ['mt', unknown]),
  ];
  const out: RowBatch[] = [];
  for (let i = 0; i < rows.length; i += ENGINE_CHUNK_ROWS) {
    const chunk: RowBatch = { q: rb.q, res: rb.res, sp: [], lg: [], mt: [] };
    for (const [k, r] of rows.slice(i, i + ENGINE_CHUNK_ROWS)) (chunk[k] as unknown[]).push(r);
    out.push(chunk);
  }
  return out;
}
