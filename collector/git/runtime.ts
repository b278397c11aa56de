// Joins the ledger to runtime numbers: for each AI diff, the telemetry recorded at its
// lines (calls, errors, whether they were ever seen running), findings from analysis (slow
// queries, N+1s) and a before/after when the aggregates can give one; then a risk score.
import type { FileSummary } from '../live/protocol';
import type { BeforeAfter } from './beforeAfter';
import { scoreRisk } from './risk';
import type { AiDiff, AiDiffsResult, AiDiffView, LineRange } from './types';

export interface AiDiffRuntimeSource {
  /** Per-line aggregates of a workspace file (absolute path); `TelemetryStore` has it. */
  fileSummary(file: string): Promise<FileSummary>;
  /** Slow queries and N+1 patterns issued from these lines (from collector/analysis). */
  findings?(file: string, ranges: readonly LineRange[]): Promise<{ slowQueries: number; nPlusOnes: number }>;
  /** Latency/error change at these lines since `diff.commit` shipped. */
  beforeAfter?(file: string, ranges: readonly LineRange[], diff: AiDiff): Promise<BeforeAfter | undefined>;
}

const ERROR_SEVERITIES = ['ERROR', 'FATAL', 'CRITICAL'];

/** Adds `runtime` and `risk` to every non-dismissed diff, highest risk first. */
export async function withRuntime(result: AiDiffsResult, src: AiDiffRuntimeSource): Promise<AiDiffsResult> {
  const root = (result.root ?? result.workspace).replace(/\\/g, '/').replace(/\/$/, '');
  const summaries = new Map<string, Promise<FileSummary>>();
  const summary = (abs: string) => {
    let p = summaries.get(abs);
    if (!p) summaries.set(abs, (p = src.fileSummary(abs)));
    return p;
  };
  const views: AiDiffView[] = [];
  for (const d of result.diffs) {
    if (d.state === 'dismissed') {
      views.push(d);
      continue;
    }
    let calls = 0, errors = 0, observed = 0, total = 0, slow = 0, n1 = 0;
    let worst: BeforeAfter | undefined;
    for (const f of d.files) {
      if (!f.ranges.length) continue;
      const abs = `${root}/${f.path}`;
      const s = await summary(abs);
      for (const r of f.ranges) {
        total += r.end - r.start + 1;
        for (const l of s.lines) {
          if (l.line < r.start || l.line > r.end) continue;
          if (l.kind === 'span') {
            calls += l.calls;
            errors += l.errors;
          } else {
            for (const sev of ERROR_SEVERITIES) errors += l.logsBySeverity?.[sev] ?? 0;
          }
          if (l.calls > 0 || l.kind === 'log') observed++;
        }
      }
      const fnd = await src.findings?.(abs, f.ranges);
      slow += fnd?.slowQueries ?? 0;
      n1 += fnd?.nPlusOnes ?? 0;
      const ba = await src.beforeAfter?.(abs, f.ranges, d);
      if (ba?.status === 'ok' && (!worst || (ba.p95Ratio ?? 0) > (worst.p95Ratio ?? 0))) worst = ba;
    }
    const risk = scoreRisk({
      id: d.id,
      errorsInRanges: errors,
      callsInRanges: calls || undefined,
      latencyChange: worst,
      slowQueries: slow,
      nPlusOnes: n1,
      // Spans land on a few lines per function, so "observed" means any line was seen.
      observed: observed > 0,
    });
    views.push({
      ...d,
      runtime: { calls, errors, observedLines: observed, totalLines: total, slowQueries: slow, nPlusOnes: n1, ...(worst ? { p95Ratio: worst.p95Ratio, beforeAfter: worst.summary } : {}) },
      risk,
    });
  }
  views.sort((a, b) => (b.risk?.score ?? -1) - (a.risk?.score ?? -1) || b.timeMs - a.timeMs);
  return { ...result, from: 'collector', diffs: views };
}
