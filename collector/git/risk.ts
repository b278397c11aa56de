// Runtime risk of one AI diff: a 0..100 score with every contribution spelled out, so a
// reader can see why one diff ranks above another. Code nobody has seen running is a risk
// of its own: it is unverified, not safe.
import type { RiskResult } from './types';

export interface RiskInput {
  id: string;
  /** Errors recorded at lines of the diff since it shipped. */
  errorsInRanges: number;
  /** Calls recorded at those lines (for an error rate), when known. */
  callsInRanges?: number;
  /** Latency change since the diff shipped (from compareBeforeAfter). */
  latencyChange?: { status: 'ok' | 'not-enough-data'; p95Ratio?: number };
  slowQueries: number;
  nPlusOnes: number;
  /** Whether the diff's lines were ever seen running: a flag, or lines seen of total. */
  observed: boolean | { lines: number; total: number };
}

export interface RankedRisk extends RiskResult {
  id: string;
}

export function scoreRisk(i: RiskInput): RiskResult {
  const parts: [number, string][] = [];
  if (i.errorsInRanges > 0) {
    if (i.callsInRanges && i.callsInRanges > 0) {
      const rate = i.errorsInRanges / i.callsInRanges;
      parts.push([10 + 30 * Math.min(1, rate / 0.05), `${i.errorsInRanges} errors in its lines (${(rate * 100).toFixed(1)}% of ${i.callsInRanges} calls)`]);
    } else {
      parts.push([Math.min(40, 10 + 5 * Math.log2(1 + i.errorsInRanges)), `${i.errorsInRanges} errors in its lines`]);
    }
  }
  const r = i.latencyChange?.status === 'ok' ? i.latencyChange.p95Ratio : undefined;
  if (r !== undefined && r >= 1.25) parts.push([Math.min(25, 12.5 * Math.log2(r) + 5), `p95 ↑ ${r.toFixed(1)}× since it shipped`]);
  if (i.nPlusOnes > 0) parts.push([Math.min(24, 12 * i.nPlusOnes), `${i.nPlusOnes} N+1 query pattern${i.nPlusOnes > 1 ? 's' : ''}`]);
  if (i.slowQueries > 0) parts.push([Math.min(20, 8 * i.slowQueries), `${i.slowQueries} slow quer${i.slowQueries > 1 ? 'ies' : 'y'}`]);
  const obs = i.observed;
  if (obs === false || (typeof obs === 'object' && obs.lines === 0)) {
    parts.push([20, 'never seen running in telemetry: unverified AI code']);
  } else if (typeof obs === 'object' && obs.total > 0 && obs.lines / obs.total < 0.5) {
    parts.push([Math.round(10 * (1 - obs.lines / obs.total)), `only ${obs.lines} of ${obs.total} lines seen running`]);
  }
  const score = Math.min(100, Math.round(parts.reduce((s, [p]) => s + p, 0)));
  parts.sort((a, b) => b[0] - a[0]);
  return { score, reasons: parts.length ? parts.map(([, why]) => why) : ['no runtime problems seen'] };
}

/** Highest risk first; ties keep input order. */
export function rankRisks(inputs: readonly RiskInput[]): RankedRisk[] {
  return inputs.map((i, n) => ({ n, r: { id: i.id, ...scoreRisk(i) } })).sort((a, b) => b.r.score - a.r.score || a.n - b.n).map((x) => x.r);
}
