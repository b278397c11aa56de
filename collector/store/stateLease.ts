// A lease in the shared state table: which one of a team's collectors holds a role (the
// team's analysis, alerts and webhooks). ClickHouse 18.16 has no compare-and-set, so a claim
// is a write followed by a read:
//  - a claimant reads the lease; when it is free, expired or its own it writes
//    `{ holder, until }` (last write wins: the state table keeps the newest version), waits
//    `settleMs` so a competing claim written at the same time is visible, and reads again:
//    the holder named then is the one both read, so at most one goes on;
//  - the holder renews every `ttlMs / 3`; a renewal that reads another holder (this process
//    stalled past its expiry and someone took over) is a loss: the caller must stop acting
//    in the role at once;
//  - `release` at shutdown writes an expired lease, so a standby takes over without waiting.
// Assumes the collectors' clocks agree to well under `ttlMs` (NTP); a stall longer than
// `ttlMs` can let two processes act for up to one renewal interval.
import type { DurableState } from './api';

export interface LeaseValue {
  holder: string;
  /** ms since epoch; after it, anyone may claim. */
  until: number;
}

export interface StateLeaseOptions {
  state: DurableState;
  key: string;
  /** This process's id (its store origin). */
  holder: string;
  ttlMs?: number;
  settleMs?: number;
  now?: () => number;
}

export class StateLease {
  readonly ttlMs: number;
  private readonly settleMs: number;
  private readonly now: () => number;
  held = false;

  constructor(private readonly o: StateLeaseOptions) {
    this.ttlMs = o.ttlMs ?? 15_000;
    this.settleMs = o.settleMs ?? 1_000;
    this.now = o.now ?? Date.now;
  }

  /** The lease as stored (undefined when never taken). */
  read(): Promise<LeaseValue | undefined> {
    return this.o.state.getState<LeaseValue>(this.o.key);
  }

  /** Claims the lease when it is free, expired or already ours. True when we hold it. */
  async tryAcquire(): Promise<boolean> {
    const cur = await this.read();
    if (cur && cur.holder !== this.o.holder && cur.until > this.now()) return (this.held = false);
    await this.write();
    await new Promise((r) => setTimeout(r, this.settleMs));
    const after = await this.read();
    this.held = after?.holder === this.o.holder;
    return this.held;
  }

  /** Extends a held lease. False (and `held` false) when another holder has it now. */
  async renew(): Promise<boolean> {
    const cur = await this.read();
    if (cur && cur.holder !== this.o.holder) return (this.held = false);
    await this.write();
    return (this.held = true);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const cur = await this.read();
    if (cur?.holder === this.o.holder) await this.o.state.putState(this.o.key, { holder: this.o.holder, until: 0 } satisfies LeaseValue);
  }

  private write(): Promise<void> {
    return this.o.state.putState(this.o.key, { holder: this.o.holder, until: this.now() + this.ttlMs } satisfies LeaseValue);
  }
}
