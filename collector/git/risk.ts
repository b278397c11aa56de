// Runtime risk of one AI diff: a 0..100 score from what the diff's own code did since it
// shipped, with every contribution spelled out, so a reader can see why one diff ranks
// above another. The formula and its inputs are documented in docs/architecture.md
// ("AI-diff risk"); keep the two in step.
import type { RiskResult } from './types';

export interface RiskInput {
  id: string;
  /** Errors of the diff's functions (their own spans) since the commit shipped. */
  errorsInRanges: number;
  /** Calls of those functions since it shipped (the error rate's denominator). */
  callsInRanges?: number;
  /** Latency change of the worst function since the diff shipped (compareBeforeAfter). */
  latencyChange?: { status: 'ok' | 'not-enough-data'; p95Ratio?: number; confidence?: number; before?: { calls: number }; after?: { calls: number } };
  slowQueries: number;
  nPlusOnes: number;
  /** Whether the diff's functions were ever seen running: a flag, or lines seen of total. */
  observed: boolean | { lines: number; total: number };
  /** False when none of the diff's files is code (README, docs): nothing can run. */
  isCode?: boolean;
}

export interface RankedRisk extends RiskResult {
  id: string;
}

export function scoreRisk(i: RiskInput): RiskResult {
  const parts: [number, string][] = [];
  if (i.errorsInRanges > 0) {
    if (i.callsInRanges && i.callsInRanges > 0) {
      const rate = i.errorsInRanges / i.callsInRanges;
      parts.push([10 + 30 * Math.min(1, rate / 0.05), `${i.errorsInRanges} errors in its functions since it shipped (${(rate * 100).toFixed(1)}% of ${i.callsInRanges} calls)`]);
    } else {
      parts.push([Math.min(40, 10 + 5 * Math.log2(1 + i.errorsInRanges)), `${i.errorsInRanges} errors in its functions`]);
    }
  }
  const lc = i.latencyChange;
  const r = lc?.status === 'ok' ? lc.p95Ratio : undefined;
  if (r !== undefined && r >= 1.25) {
    // 20 points per doubling of p95 (2× → 20, 4× → 40, capped at 40), scaled by confidence.
    const conf = lc?.confidence ?? 1;
    parts.push([Math.min(40, 20 * Math.log2(r)) * conf, `p95 ↑ ${r.toFixed(1)}× since it shipped (confidence ${conf.toFixed(2)})`]);
  } else if (lc?.status === 'not-enough-data') {
    parts.push([5, `not enough data yet (${lc.before?.calls ?? 0} before / ${lc.after?.calls ?? 0} after)`]);
  }
  if (i.nPlusOnes > 0) parts.push([Math.min(24, 12 * i.nPlusOnes), `${i.nPlusOnes} N+1 query pattern${i.nPlusOnes > 1 ? 's' : ''} issued from it`]);
  if (i.slowQueries > 0) parts.push([Math.min(20, 8 * i.slowQueries), `${i.slowQueries} slow quer${i.slowQueries > 1 ? 'ies' : 'y'} issued from it`]);
  const obs = i.observed;
  if (i.isCode === false) {
    // Nothing to run: no runtime risk, and no "unverified" penalty either.
  } else if (obs === false || (typeof obs === 'object' && obs.lines === 0)) {
    parts.push([15, 'its functions were never seen running: unverified AI code']);
  } else if (typeof obs === 'object' && obs.total > 0 && obs.lines / obs.total < 0.5) {
    parts.push([Math.round(10 * (1 - obs.lines / obs.total)), `only ${obs.lines} of ${obs.total} lines seen running`]);
  }
  const score = Math.min(100, Math.round(parts.reduce((s, [p]) => s + p, 0)));
  parts.sort((a, b) => b[0] - a[0]);
  const quiet = i.isCode === false ? 'not code: nothing to run' : `no runtime problems seen${i.callsInRanges ? ` in ${i.callsInRanges} calls` : ''}`;
  return { score, reasons: parts.length ? parts.map(([, why]) => why) : [quiet] };
}

/** Highest risk first; ties keep input order. */
export function rankRisks(inputs: readonly RiskInput[]): RankedRisk[] {
  return inputs.map((i, n) => ({ n, r: { id: i.id, ...scoreRisk(i) } })).sort((a, b) => b.r.score - a.r.score || a.n - b.n).map((x) => x.r);
}
