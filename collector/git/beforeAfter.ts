// Before/after per change: latency and error rate of one code location (route, function,
// line) under the revision before a change and under the revision with it. Pure functions
// over per-revision samples, so the aggregates side can feed them whatever it keeps.
import { LogHistogram, type HistogramJson } from '../model/histogram';

export interface RevisionSamples {
  revision: string;
  /** Latency distribution in ms (its `count` is the number of timed calls). */
  latency: LogHistogram | HistogramJson;
  calls: number;
  errors: number;
}

export interface Side {
  revision: string;
  calls: number;
  errors: number;
  errorRate: number;
  p50Ms?: number;
  p95Ms?: number;
}

export interface BeforeAfter {
  status: 'ok' | 'not-enough-data';
  before: Side;
  after: Side;
  /** after / before; > 1 is slower. */
  p50Ratio?: number;
  p95Ratio?: number;
  /** after − before, as a fraction (0.02 = two percentage points more errors). */
  errorRateDelta?: number;
  /** Two-proportion z statistic of the error-rate change (|z| ≥ 2 is unlikely to be chance). */
  errorZ?: number;
  /** 0..1: how much the numbers can be trusted, from the smaller side's sample count. */
  confidence: number;
  /** One line for a CodeLens or hover, e.g. "p95 ↑ 4.1× (300 before / 680 after) since
   *  abc1234 (AI diff)" or "not enough data (19 before / 19 after) since abc1234". */
  summary: string;
  /** Why the status is not-enough-data. */
  reasons: string[];
}

export interface CompareOptions {
  /** Fewer calls than this on either side → "not enough data". Default 20. */
  minSamples?: number;
  /** Appended to the summary, e.g. "(AI diff)". */
  note?: string;
}

export function compareBeforeAfter(before: RevisionSamples, after: RevisionSamples, opts: CompareOptions = {}): BeforeAfter {
  const min = opts.minSamples ?? 20;
  const b = side(before);
  const a = side(after);
  const since = `since ${short(after.revision)}${opts.note ? ' ' + opts.note : ''}`;
  // Both sides always say how many calls they rest on.
  const counts = `(${b.calls} before / ${a.calls} after)`;
  const reasons: string[] = [];
  if (b.calls < min) reasons.push(`${b.calls} calls before ${short(after.revision)} (need ${min})`);
  if (a.calls < min) reasons.push(`${a.calls} calls since ${short(after.revision)} (need ${min})`);
  const n = Math.min(b.calls, a.calls);
  // n / (n + min): 0.5 at the minimum, 0.83 at five times it, → 1 with more data.
  const confidence = round(n / (n + min), 2);
  if (reasons.length) {
    return { status: 'not-enough-data', before: b, after: a, confidence, summary: `not enough data ${counts} ${since}`, reasons };
  }
  const p50Ratio = ratio(a.p50Ms, b.p50Ms);
  const p95Ratio = ratio(a.p95Ms, b.p95Ms);
  const errorRateDelta = round(a.errorRate - b.errorRate, 4);
  const pooled = (b.errors + a.errors) / (b.calls + a.calls);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / b.calls + 1 / a.calls));
  const errorZ = se > 0 ? round((a.errorRate - b.errorRate) / se, 2) : 0;
  const parts: string[] = [];
  if (p95Ratio !== undefined) parts.push(p95Ratio >= 1.1 ? `p95 ↑ ${fmt(p95Ratio)}×` : p95Ratio <= 1 / 1.1 ? `p95 ↓ ${fmt(1 / p95Ratio)}×` : 'p95 ≈');
  if (Math.abs(errorZ) >= 2) parts.push(`errors ${pct(b.errorRate)} → ${pct(a.errorRate)}`);
  return { status: 'ok', before: b, after: a, p50Ratio, p95Ratio, errorRateDelta, errorZ, confidence, summary: `${parts.join(', ')} ${counts} ${since}`, reasons };
}

/** Merges samples of several revisions into one side (e.g. everything before a deploy). */
export function mergeSamples(revision: string, samples: readonly RevisionSamples[]): RevisionSamples {
  const h = new LogHistogram();
  let calls = 0;
  let errors = 0;
  for (const s of samples) {
    h.merge(toHist(s.latency));
    calls += s.calls;
    errors += s.errors;
  }
  return { revision, latency: h, calls, errors };
}

/** Compares `revision` with the revision that ran before it (`previous`, e.g. from a deploy
 *  marker), or with all other revisions merged when `previous` is unknown. */
export function compareWithPrevious(samples: readonly RevisionSamples[], revision: string, previous?: string, opts?: CompareOptions): BeforeAfter {
  const after = mergeSamples(revision, samples.filter((s) => s.revision === revision));
  const others = samples.filter((s) => (previous ? s.revision === previous : s.revision !== revision));
  return compareBeforeAfter(mergeSamples(previous ?? 'before', others), after, opts);
}

function side(s: RevisionSamples): Side {
  const h = toHist(s.latency);
  return {
    revision: s.revision,
    calls: s.calls,
    errors: s.errors,
    errorRate: s.calls ? s.errors / s.calls : 0,
    ...(h.count ? { p50Ms: round(h.quantile(0.5), 3), p95Ms: round(h.quantile(0.95), 3) } : {}),
  };
}

function toHist(h: LogHistogram | HistogramJson): LogHistogram {
  return h instanceof LogHistogram ? h : LogHistogram.fromJSON(h);
}

function ratio(a?: number, b?: number): number | undefined {
  if (a === undefined || b === undefined || b <= 0) return undefined;
  return round(a / b, 2);
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
const fmt = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
const short = (rev: string) => (/^[0-9a-f]{8,}$/i.test(rev) ? rev.slice(0, 7) : rev);
