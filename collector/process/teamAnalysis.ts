// The team's analysis on a shared (ClickHouse) store: run by exactly one of the team's
// collectors, never once per ingest process. Every collector stores what it receives; the
// holder of the analysis lease (store/stateLease.ts) reads every collector's stored records
// back in order (store/clickhouse/recordTail.ts) and folds each exactly once into the
// series (lens figures, per-revision cells, span baselines), the deploy markers and the
// analysis (errors, findings, alerts, incidents, webhooks, the status page).
//  - standby: a collector without the lease only ingests; it tries to claim the lease every
//    `ttlMs / 3`, so when the holder stops (or dies) another takes over within one expiry.
//  - active: the saved tail checkpoint (cursors + series, key `team.analysis.tail`) and the
//    saved analysis state load, then the tail loop runs. Every `checkpointMs` the analysis
//    state is saved and then the checkpoint, so a takeover resumes where they were saved
//    (what the analysis derived after the last checkpoint is derived again from the same
//    records; an alert that fired in that window may fire again after a crash, once).
//    The analysis never saves on its own timer here: its saves must match the cursors.
//  - lost: a renewal found another holder (this process stalled past the lease's expiry).
//    The analysis halts without saving (the new holder's state is the newer one); the
//    collector goes on ingesting. Restarting it makes it a standby again.
import type { TelemetryBatch } from '../model/types';
import type { RecordSource, SharedStore } from '../store/api';
import { StateLease } from '../store/stateLease';
import { toRowBatch } from '../store/rows';
import type { TimeSeriesCheckpoint } from '../timeseries/timeSeries';
import { WakeableSleep } from '../store/wakeableSleep';

export const TAIL_KEY = 'team.analysis.tail';
export const LEASE_KEY = 'lease:analysis';
/** The status page as the holder last computed it: what every other collector serves. */
export const STATUS_KEY = 'team.status.view';
const STATUS_PUBLISH_MS = 2_000;

/** A view only the holder can compute (it needs the analysis), which every collector serves:
 *  the holder publishes it in `state` every `everyMs`, the others read the last one. */
interface SharedView {
  key: string;
  compute: () => Promise<unknown>;
  everyMs: number;
  lastPublish: number;
  read?: { at: number; value: unknown };
}

interface TailCheckpoint {
  cursors: Record<string, number>;
  series: TimeSeriesCheckpoint;
}

export type TeamAnalysisRole = 'standby' | 'active' | 'lost' | 'stopped';

export interface TeamAnalysisDeps {
  store: SharedStore;
  /** Loads the saved analysis state and starts its timers. */
  startAnalysis(): Promise<void>;
  observe(batch: TelemetryBatch): void;
  /** Deploy markers (git/deployTracker.ts), team-wide. */
  observeDeploys(batch: TelemetryBatch): Promise<unknown>;
  saveAnalysis(): Promise<void>;
  /** The public status page's data (published for the collectors that do not hold the lease). */
  statusView(): Promise<unknown>;
  /** Analysis shut down with a final save (this process held the lease to the end). */
  stopAnalysis(): Promise<void>;
  /** Analysis stopped without saving (never started, or the lease was lost). */
  haltAnalysis(): Promise<void>;
  log(event: string, fields?: Record<string, unknown>): void;
  /** Everything the clients hold may have changed (the holder took over, or caught up). */
  resync(): void;
  pollMs?: number;
  checkpointMs?: number;
  leaseTtlMs?: number;
  leaseSettleMs?: number;
  maxRecords?: number;
  now?: () => number;
}

export class TeamAnalysis {
  role: TeamAnalysisRole = 'standby';
  /** Records folded since this process took the role. */
  private folded = 0;
  private readonly lease: StateLease;
  private tail?: RecordSource;
  private running?: Promise<void>;
  private stopping = false;
  private readonly waits = new WakeableSleep();
  private readonly now: () => number;

  constructor(private readonly d: TeamAnalysisDeps) {
    this.now = d.now ?? Date.now;
    this.lease = new StateLease({ state: d.store, key: LEASE_KEY, holder: () => d.store.originId, ttlMs: d.leaseTtlMs, settleMs: d.leaseSettleMs, now: this.now });
  }

  start(): void {
    this.running ??= this.run().catch((err: unknown) => this.d.log('team.analysis.failed', { message: (err as Error).message }));
  }

  private async run(): Promise<void> {
    const renewEvery = this.lease.ttlMs / 3;
    let announced = false;
    while (!this.stopping) {
      const got = await this.lease.tryAcquire().catch((err: unknown) => {
        this.d.log('team.analysis.leaseError', { message: (err as Error).message });
        return false;
      });
      if (got) break;
      if (!announced) this.d.log('team.analysis.standby', { holder: (await this.lease.holder().catch(() => undefined)) ?? null });
      announced = true;
      await this.waits.sleep(renewEvery);
    }
    // Taking over reads the checkpoint and the saved analysis state: ClickHouse failing
    // then is retried (the lease kept alive meanwhile), not the end of the team's analysis.
    while (!this.stopping) {
      try {
        await this.activate();
        break;
      } catch (err) {
        this.d.log('team.analysis.activateFailed', { message: (err as Error).message, note: 'retried' });
        await this.waits.sleep(renewEvery);
        if (!(await this.lease.renew().catch(() => true))) return this.lose();
      }
    }
    if (this.stopping) return;
    let lastRenew = this.now();
    let lastCheckpoint = this.now();
    let failing = false;
    while (!this.stopping) {
      let records: Awaited<ReturnType<RecordSource['poll']>> = [];
      try {
        records = await this.tail!.poll();
        if (failing) this.d.log('team.analysis.tailResumed', {});
        failing = false;
      } catch (err) {
        if (!failing) this.d.log('team.analysis.tailFailed', { message: (err as Error).message, note: 'retried' });
        failing = true;
      }
      for (const r of records) await this.fold(r.batch);
      if (!records.length && !failing && !this.d.store.seriesCurrent) {
        this.d.store.seriesCurrent = true;
        this.d.log('team.analysis.caughtUp', { records: this.folded });
        this.d.resync();
      }
      if (this.now() - lastCheckpoint >= (this.d.checkpointMs ?? 30_000)) {
        await this.checkpoint().catch((err: unknown) => this.d.log('team.analysis.checkpointFailed', { message: (err as Error).message }));
        lastCheckpoint = this.now();
      }
      await this.publishViews();
      if (this.now() - lastRenew >= renewEvery) {
        const held = await this.lease.renew().catch((err: unknown) => {
          this.d.log('team.analysis.leaseError', { message: (err as Error).message });
          // Not renewed: tried again next round; once the row has expired, renew says lost.
          return true;
        });
        if (!held) return this.lose();
        lastRenew = this.now();
      }
      if (!records.length) await this.waits.sleep(this.d.pollMs ?? 1_000);
    }
  }

  private async activate(): Promise<void> {
    const store = this.d.store;
    this.tail = store.recordTail(this.d.maxRecords ?? 50);
    const saved = await store.getState<TailCheckpoint>(TAIL_KEY);
    if (saved?.series) store.series.restore(saved.series);
    this.tail.restoreCursors(saved?.cursors);
    await this.d.startAnalysis();
    this.role = 'active';
    this.d.log('team.analysis.active', { holder: store.originId, cursors: this.tail.saveCursors() });
    this.d.resync();
  }

  private async fold(batch: TelemetryBatch): Promise<void> {
    await this.d.observeDeploys(batch).catch((err: unknown) => this.d.log('team.analysis.deploysFailed', { message: (err as Error).message }));
    this.d.store.series.addNext(toRowBatch(batch));
    this.d.observe(batch);
    this.folded++;
  }

  /** The analysis state, then the cursors with the series they produced. */
  private async checkpoint(): Promise<void> {
    if (!this.tail) return;
    const cursors = this.tail.saveCursors();
    const series = this.d.store.series.checkpoint(this.now());
    await this.d.saveAnalysis();
    await this.d.store.putState(TAIL_KEY, { cursors, series } satisfies TailCheckpoint);
  }

  private readonly views: SharedView[] = [];

  /** Registers a view every collector serves (published every `everyMs`, by default the
   *  checkpoint interval), and returns its reader: the holder's own
   *  answer while it holds the lease, else the holder's last published one (read from
   *  `state` at most every `min(everyMs, 2 s)`; this process's own answer when none was
   *  published yet). */
  sharedView<T>(key: string, compute: () => Promise<T>, everyMs: number = this.d.checkpointMs ?? 30_000): () => Promise<T> {
    const v: SharedView = { key, compute, everyMs, lastPublish: 0 };
    this.views.push(v);
    return async () => {
      if (this.role === 'active') return compute();
      const now = this.now();
      if (!v.read || now - v.read.at >= Math.min(everyMs, STATUS_PUBLISH_MS)) {
        const value = await this.d.store.getState<T>(key).catch(() => undefined);
        v.read = { at: now, value: value ?? (await compute()) };
      }
      return v.read.value as T;
    };
  }

  private async publishViews(): Promise<void> {
    for (const v of this.views) {
      if (this.now() - v.lastPublish < v.everyMs) continue;
      v.lastPublish = this.now();
      try {
        await this.d.store.putState(v.key, await v.compute());
      } catch (err) {
        this.d.log('team.analysis.publishFailed', { key: v.key, message: (err as Error).message });
      }
    }
  }

  /** The status page's data on any collector (see `sharedView`). */
  readonly statusView = this.sharedView(STATUS_KEY, () => this.d.statusView(), STATUS_PUBLISH_MS);

  private async lose(): Promise<void> {
    this.role = 'lost';
    this.d.store.seriesCurrent = false;
    await this.d.haltAnalysis();
    this.d.log('team.analysis.lost', { holder: (await this.lease.holder().catch(() => undefined)) ?? null, note: 'another collector holds the team analysis; this one only ingests now (restart it to stand by)' });
    this.d.resync();
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    this.waits.wake();
    await this.running;
    if (this.role === 'active') {
      await this.d.stopAnalysis();
      await this.checkpoint().catch((err: unknown) => this.d.log('team.analysis.checkpointFailed', { message: (err as Error).message }));
      await this.lease.release().catch(() => undefined);
    } else if (this.role !== 'lost') {
      await this.d.haltAnalysis();
    }
    this.role = 'stopped';
  }
}
