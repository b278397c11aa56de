// Joins the ledger to runtime numbers: for each AI diff, what the code units its lines
// touch did (their own spans before and after the commit, queries they issue — see
// diffMeasure.ts), findings from analysis inside those units (slow queries, N+1s), and a
// risk score from the diff's own behaviour since it shipped. Without a unit measure (an
// older caller) the per-line aggregates of the file summary are used as before.
import type { FileSummary } from '../model/queries';
import type { BeforeAfter } from './beforeAfter';
import { headline, type FileMeasure, type UnitFigure } from './diffMeasure';
import { unitLanguageOf } from './functionIndex';
import { scoreRisk } from './risk';
import type { AiDiff, AiDiffsResult, AiDiffUnitFigure, AiDiffView, LineRange } from './types';

export interface AiDiffRuntimeSource {
  /** Per-line aggregates of a workspace file (absolute path); `TelemetryStore` has it. */
  fileSummary(file: string): Promise<FileSummary>;
  /** Slow queries and N+1 patterns issued from these lines (from collector/analysis). */
  findings?(file: string, ranges: readonly LineRange[]): Promise<{ slowQueries: number; nPlusOnes: number }>;
  /** Latency/error change at these lines since `diff.commit` shipped (line-based, legacy). */
  beforeAfter?(file: string, ranges: readonly LineRange[], diff: AiDiff): Promise<BeforeAfter | undefined>;
  /** Per-unit figures of the code these ranges touch (preferred over `beforeAfter`). */
  measure?(file: string, ranges: readonly LineRange[], diff: AiDiff): Promise<FileMeasure | undefined>;
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
    const units: (UnitFigure & { path: string })[] = [];
    let measured = false;
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
      const m = await src.measure?.(abs, f.ranges, d);
      if (m) {
        measured = true;
        units.push(...m.units.map((u) => ({ ...u, path: f.path })));
      }
      // Findings belong to the diff when they sit inside the code units it touches.
      const scope = m?.units.length ? m.units.map((u) => ({ start: u.start, end: u.end, hash: '' })) : f.ranges;
      const fnd = await src.findings?.(abs, scope);
      slow += fnd?.slowQueries ?? 0;
      n1 += fnd?.nPlusOnes ?? 0;
      if (!m) {
        const ba = await src.beforeAfter?.(abs, f.ranges, d);
        if (ba?.status === 'ok' && (!worst || (ba.p95Ratio ?? 0) > (worst.p95Ratio ?? 0))) worst = ba;
      }
    }
    let sentence = worst?.summary;
    let unknownCalls: number | undefined;
    let ranEver = observed > 0;
    if (measured) {
      // Since it shipped: the functions' own calls at revisions containing the commit.
      calls = units.reduce((n, u) => n + u.after.calls, 0);
      errors = units.reduce((n, u) => n + u.after.errors, 0);
      unknownCalls = units.reduce((n, u) => n + u.unknown.calls, 0);
      ranEver = units.some((u) => u.spanLine !== undefined || u.queries.after + u.queries.before > 0) || observed > 0;
      const head = headline(units);
      worst = head?.beforeAfter;
      // Uncommitted diffs have no before/after; the editor says so in its own words.
      sentence = d.commit ? head?.sentence : undefined;
    }
    const isCode = d.files.some((f) => unitLanguageOf(f.path) !== undefined);
    const risk = scoreRisk({
      id: d.id,
      errorsInRanges: errors,
      callsInRanges: calls || undefined,
      latencyChange: worst,
      slowQueries: slow,
      nPlusOnes: n1,
      observed: ranEver,
      isCode: isCode || !measured ? undefined : false,
    });
    views.push({
      ...d,
      runtime: {
        calls, errors, observedLines: observed, totalLines: total, slowQueries: slow, nPlusOnes: n1,
        ...(worst?.status === 'ok' ? { p95Ratio: worst.p95Ratio } : {}),
        ...(sentence ? { beforeAfter: sentence } : {}),
        ...(measured ? { units: units.map(toView), unknownCalls } : {}),
      },
      risk,
    });
  }
  views.sort((a, b) => (b.risk?.score ?? -1) - (a.risk?.score ?? -1) || b.timeMs - a.timeMs);
  return { ...result, from: 'collector', diffs: views };
}

function toView(u: UnitFigure & { path: string }): AiDiffUnitFigure {
  return {
    path: u.path, name: u.name, start: u.start, end: u.end, ...(u.spanLine !== undefined ? { spanLine: u.spanLine } : {}),
    before: u.before, after: u.after, unknown: u.unknown, queries: u.queries,
    ...(u.beforeAfter ? { status: u.beforeAfter.status, ...(u.beforeAfter.p95Ratio !== undefined ? { p95Ratio: u.beforeAfter.p95Ratio } : {}) } : {}),
    sentence: u.sentence,
  };
}
