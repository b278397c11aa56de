// Conversions between the model's bigint nanoseconds and the milliseconds used by
// aggregates and the UI. Keep arithmetic on bigint until a value leaves the model.

export const NS_PER_MS = 1_000_000n;

export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS) + Number(ns % NS_PER_MS) / 1e6;
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms)) * NS_PER_MS;
}

export function durationMs(startNs: bigint, endNs: bigint): number {
  return endNs > startNs ? nsToMs(endNs - startNs) : 0;
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * NS_PER_MS;
}
