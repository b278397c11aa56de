// A lease in the shared state table: which one of a team's collectors holds a role (the
// team's analysis, alerts and webhooks). ClickHouse 18.16 has no compare-and-set, so the
// lease is a membership, not a lock:
//  - every candidate keeps its own row `<key>:<holder>` = `{ holder, since, until }`,
//    renewed every `ttlMs / 3` with `until = now + ttlMs`; `since` is when it began to
//    claim (kept across renewals);
//  - the holder is the live row (until > now) with the smallest `(since, holder)`: the oldest
//    candidate still alive. Every candidate computes the same answer from the same rows, and
//    a newcomer waits `settleMs` after its first write before it decides, so that an older
//    claim written at the same moment is visible to it;
//  - a holder whose own row expired before it could renew (the process stalled, or lost
//    ClickHouse, past `ttlMs`) has lost the role, even if nobody took it yet: it must stop
//    acting at once. `release` at shutdown expires the row so a standby takes over at once.
// Assumes the collectors' clocks agree to well under `ttlMs` (NTP).
import type { DurableState } from './api';

export interface LeaseRow {
  holder: string;
  since: number;
  until: number;
}

export interface LeaseState extends DurableState {
  /** Every state value whose key starts with `prefix` (deleted ones left out). */
  listState<T>(prefix: string): Promise<{ key: string; value: T }[]>;
}

export interface StateLeaseOptions {
  state: LeaseState;
  key: string;
  /** This process's id (its store origin; read when first needed, after the store started). */
  holder: () => string;
  ttlMs?: number;
  settleMs?: number;
  now?: () => number;
}

export class StateLease {
  readonly ttlMs: number;
  private readonly settleMs: number;
  private readonly now: () => number;
  private since = 0;
  private lastWrite = 0;
  held = false;

  constructor(private readonly o: StateLeaseOptions) {
    this.ttlMs = o.ttlMs ?? 15_000;
    this.settleMs = o.settleMs ?? 1_000;
    this.now = o.now ?? Date.now;
  }

  /** The current holder as the rows say (undefined when no candidate is alive). */
  async holder(): Promise<string | undefined> {
    const now = this.now();
    const live = (await this.o.state.listState<LeaseRow>(`${this.o.key}:`)).map((r) => r.value).filter((v) => v && typeof v.holder === 'string' && v.until > now);
    live.sort((a, b) => a.since - b.since || (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0));
    return live[0]?.holder;
  }

  /** Writes (or renews) this candidate's row; true when it is the holder. */
  async tryAcquire(): Promise<boolean> {
    const first = this.since === 0;
    if (first) this.since = this.now();
    await this.write();
    if (first) await new Promise((r) => setTimeout(r, this.settleMs));
    this.held = (await this.holder()) === this.me();
    return this.held;
  }

  /** Renews a held lease. False (and `held` false) when its row expired before this renewal,
   *  or another candidate is the holder now. */
  async renew(): Promise<boolean> {
    if (this.now() >= this.lastWrite + this.ttlMs) return (this.held = false);
    await this.write();
    this.held = (await this.holder()) === this.me();
    return this.held;
  }

  async release(): Promise<void> {
    this.held = false;
    if (this.since) await this.o.state.putState(this.rowKey(), { holder: this.me(), since: this.since, until: 0 } satisfies LeaseRow);
  }

  private me(): string {
    const id = this.o.holder();
    if (!id) throw new Error('the lease needs the store started (its origin id)');
    return id;
  }

  private rowKey(): string {
    return `${this.o.key}:${this.me()}`;
  }

  private async write(): Promise<void> {
    const at = this.now();
    await this.o.state.putState(this.rowKey(), { holder: this.me(), since: this.since, until: at + this.ttlMs } satisfies LeaseRow);
    this.lastWrite = at;
  }
}
