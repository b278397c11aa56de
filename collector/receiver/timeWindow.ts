// The window of timestamps the receiver accepts. Telemetry times decide which store segment
// an item lands in and when retention drops it, so a sender must not be able to post a time
// in year 2500 (pinning a segment forever) or in 1970 (dropped at once, and skewing every
// per-minute series). Items outside the window are rejected one by one with partial success.
import { ItemError, type Ctx } from './values';

/** 2000-01-01T00:00:00Z in nanoseconds: no real telemetry is older. */
export const MIN_TIME_NS = 946_684_800_000_000_000n;

/** Latest accepted time: the batch's arrival plus the allowed clock skew. */
export function maxTimeNs(ctx: Ctx): bigint {
  return ctx.batch.receivedAtNs + BigInt(Math.max(0, Math.floor(ctx.limits.maxFutureMs))) * 1_000_000n;
}

export function inWindow(ns: bigint, ctx: Ctx): boolean {
  return ns >= MIN_TIME_NS && ns <= maxTimeNs(ctx);
}

/** Throws (rejecting the item) when a non-zero time is outside the window. */
export function checkTime(ns: bigint, what: string, ctx: Ctx): void {
  if (ns === 0n || inWindow(ns, ctx)) return;
  const iso = ns < MIN_TIME_NS ? 'before 2000-01-01' : `more than ${Math.round(ctx.limits.maxFutureMs / 60_000)} min in the future`;
  throw new ItemError(`${what} ${ns} is ${iso}`);
}
