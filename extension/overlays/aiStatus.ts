// The runtime status of an AI-written range, which colours its decoration. Pure.
import type { LineStats } from '../../collector/live/protocol';
import type { AiRangeInfo } from './lensModel';

export type AiRuntimeStatus = 'unobserved' | 'healthy' | 'erroring' | 'regressed';

/** p95 at least this many times its before-value counts as a regression. */
export const REGRESSION_RATIO = 1.5;

export function aiRangeStatus(r: AiRangeInfo, lines: readonly LineStats[]): AiRuntimeStatus {
  let observed = false;
  let errors = 0;
  for (const s of lines) {
    if (s.line < r.start || s.line > r.end) continue;
    if (s.calls > 0) observed = true;
    errors += s.kind === 'span' ? s.errors : (s.logsBySeverity?.ERROR ?? 0) + (s.logsBySeverity?.FATAL ?? 0);
  }
  if (!observed) return 'unobserved';
  if (errors > 0) return 'erroring';
  if (r.p95Ratio !== undefined && r.p95Ratio >= REGRESSION_RATIO) return 'regressed';
  return 'healthy';
}
