// A tiny bar sparkline from counts (DOM bars, heights via CSSOM: CSP-safe, no canvas).
import { h } from './dom';

export function sparkline(values: number[]): HTMLElement {
  const max = Math.max(1, ...values);
  const el = h('span', { class: 'sparkline', attrs: { 'aria-hidden': 'true' } });
  for (const v of values) {
    const bar = h('span');
    bar.style.height = `${Math.max(v ? 2 : 0, Math.round((v / max) * 14))}px`;
    el.append(bar);
  }
  return el;
}

/** Counts of `times` per hour over the last `hours` hours, oldest first. */
export function hourlyCounts(times: number[], hours: number, nowMs = Date.now()): number[] {
  const out = new Array<number>(hours).fill(0);
  for (const t of times) {
    const k = hours - 1 - Math.floor((nowMs - t) / 3_600_000);
    if (k >= 0 && k < hours) out[k]++;
  }
  return out;
}

/** The last `hours` hourly counts (oldest first) from `[hourStartMs, count]` pairs. */
export function countsFromHourly(pairs: readonly [number, number][], hours: number, nowMs = Date.now()): number[] {
  const out = new Array<number>(hours).fill(0);
  for (const [t, n] of pairs) {
    const k = hours - 1 - Math.floor((nowMs - t) / 3_600_000);
    if (k >= 0 && k < hours) out[k] += n;
  }
  return out;
}
