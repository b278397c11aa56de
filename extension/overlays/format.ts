// Text formatting of what the overlays show. Pure (no vscode import) so it is unit-tested
// and benchmarked in plain Node.
import type { LineStats } from '../../collector/live/protocol';

import { formatCount } from '../../collector/text/formatCount';

export { formatCount };

/** 0.42 → "0.42 ms", 12.3 → "12 ms", 340 → "340 ms", 2150 → "2.2 s". */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Elapsed time in the short form lenses use: "just now", "5 min ago", "2 h ago", "3 d ago". */
export function formatAgo(thenMs: number, nowMs: number): string {
  const s = Math.max(0, (nowMs - thenMs) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A text sparkline of per-minute counts (zero minutes as the lowest bar, scaled to the max). */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  if (max === 0) return values.length ? BARS[0].repeat(values.length) : '';
  return values.map((v) => BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))]).join('');
}

/** `1.2k calls · p95 340 ms · 3 errors` (errors only when there are some). */
export function spanLensTitle(s: LineStats): string {
  const parts = [`${formatCount(s.calls)} ${s.calls === 1 ? 'call' : 'calls'}`];
  if (s.p95Ms !== undefined) parts.push(`p95 ${formatMs(s.p95Ms)}`);
  if (s.errors > 0) parts.push(`${formatCount(s.errors)} ${s.errors === 1 ? 'error' : 'errors'}`);
  return parts.join(' · ');
}

const SEVERITY_ORDER = ['FATAL', 'ERROR', 'WARN', 'WARNING', 'INFO', 'DEBUG', 'TRACE', 'UNSPECIFIED'];

/** Severity names most severe first (unknown names after the known ones, alphabetically). */
export function orderSeverities(names: string[]): string[] {
  const rank = (n: string) => {
    const i = SEVERITY_ORDER.indexOf(n.toUpperCase());
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** `logged 42× · 3 ERROR · 39 INFO`. */
export function logLensTitle(s: LineStats): string {
  const sev = s.logsBySeverity ?? {};
  const parts = [`logged ${formatCount(s.calls)}×`];
  for (const name of orderSeverities(Object.keys(sev))) if (sev[name] > 0) parts.push(`${formatCount(sev[name])} ${name}`);
  return parts.join(' · ');
}

export interface AiLensInput {
  tool?: string;
  model?: string;
  timeMs: number;
  commit?: string;
  state: 'confirmed' | 'suspected' | 'dismissed';
  /** After/before p95 ratio, when the collector had enough samples on both sides. */
  p95Ratio?: number;
  /** The collector's before/after sentence ("checkout(): p95 ↑ 5.9× (300 before / 680
   *  after) since …"); shown as is, so the lens, hover, AI Diffs view and CLI agree. */
  beforeAfter?: string;
}

/** Ratios within ±15% are "no change": latency noise, not a regression. */
export function ratioText(r: number): string {
  if (r >= 1.15) return `p95 ↑${r.toFixed(1)}×`;
  if (r <= 1 / 1.15) return `p95 ↓${(1 / r).toFixed(1)}×`;
  return 'p95 unchanged';
}

/** `AI diff (Claude, 2 h ago) · p95 ↑4.1× since a1b2c3d`, or `… · not enough data` without before/after numbers. */
export function aiLensTitle(d: AiLensInput, nowMs: number): string {
  const who = d.tool ?? d.model ?? 'AI';
  const label = d.state === 'suspected' ? 'Suspected AI edit' : 'AI diff';
  const head = `${label} (${who}, ${formatAgo(d.timeMs, nowMs)})`;
  if (d.beforeAfter) return `${head} · ${d.beforeAfter}`;
  if (d.p95Ratio !== undefined && Number.isFinite(d.p95Ratio) && d.p95Ratio > 0) {
    return `${head} · ${ratioText(d.p95Ratio)}${d.commit ? ` since ${d.commit.slice(0, 7)}` : ''}`;
  }
  return `${head} · not enough data for before/after`;
}
