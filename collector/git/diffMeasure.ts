// What one AI diff did at runtime, measured per code unit (function, method, handler) that
// its lines touch: the unit's own span — the span located inside the unit that most calls
// start at, i.e. its entry span — before and after the AI commit, and the queries issued
// from inside the unit, counted apart. A diff that only changes a body is measured because
// the unit is, even when the span's start line did not move.
//
// Revisions are classified by git ancestry of the running revision: "after" contains the
// AI commit, "before" does not, "unknown" is not in this clone; unknown calls are reported
// (with a hint to fetch) and never counted on either side.
import { compareBeforeAfter, mergeSamples, type BeforeAfter, type RevisionSamples } from './beforeAfter';
import { indexUnits, innermostAt, unitLanguageOf, type CodeUnit } from './functionIndex';
import type { RevisionLatency, RevisionSide } from './revisionLatency';
import type { LineRange } from './types';

export interface CallCount {
  calls: number;
  errors: number;
}

export interface UnitFigure {
  /** Unit name as found in the source, or "lines A–B" for code outside any function. */
  name: string;
  start: number;
  end: number;
  /** Today's line of the unit's own (entry) span, when it was seen. */
  spanLine?: number;
  before: CallCount;
  after: CallCount;
  /** Calls anywhere in the file from revisions the clone lacks (their lines cannot be
   *  mapped to today's, so they cannot be placed in a unit): reported, never counted. */
  unknown: CallCount & { revisions: string[] };
  /** Client/database spans issued from inside the unit, per side. */
  queries: { before: number; after: number };
  /** Undefined when the diff has no commit yet or the unit's own span never ran. */
  beforeAfter?: BeforeAfter;
  /** The sentence every surface shows (CLI, lens, hover, AI Diffs view). */
  sentence: string;
}

export interface FileMeasure {
  units: UnitFigure[];
}

export interface MeasureOptions {
  /** Calls each side needs for a ratio (default 20, as compareBeforeAfter). */
  minSamples?: number;
}

/** Measures the units of `text` (today's content of `file`) touched by `ranges`. */
export async function measureFile(
  table: RevisionLatency,
  file: string,
  text: string | undefined,
  ranges: readonly Pick<LineRange, 'start' | 'end'>[],
  commit: string | undefined,
  sideOf: (commit: string, revision: string) => Promise<RevisionSide>,
  opts: MeasureOptions = {},
): Promise<FileMeasure> {
  const lang = unitLanguageOf(file);
  const units = lang && text !== undefined ? cachedUnits(file, text, lang) : [];
  const chosen = new Map<string, { name: string; start: number; end: number }>();
  for (const r of ranges) {
    for (let line = r.start; line <= r.end; line++) {
      let i = innermostAt(units, line);
      if (i < 0) {
        // Code outside any unit (module top level, unindexed language): its own lines.
        chosen.set(`r${r.start}`, { name: `lines ${r.start}–${r.end}`, start: r.start, end: r.end });
        continue;
      }
      // A nested callback without a span of its own is measured by the unit around it.
      while (units[i].parent !== undefined && !hasOwn(table, file, units[i], text)) i = units[i].parent!;
      chosen.set(`u${i}`, units[i]);
    }
  }
  const figures: UnitFigure[] = [];
  for (const u of chosen.values()) {
    // Lines of a file that is not code (README) say nothing unless spans really sit there.
    if (!lang && !table.lineSamples(file, u.start, u.end, 'own').size) continue;
    figures.push(await measureUnit(table, file, u, commit, sideOf, opts, text));
  }
  return { units: figures };
}

// One index per file while its text is unchanged: every `aiDiffs` request measures every
// diff, and many diffs share a file.
const unitCache = new Map<string, { text: string; units: CodeUnit[] }>();
function cachedUnits(file: string, text: string, lang: NonNullable<ReturnType<typeof unitLanguageOf>>): CodeUnit[] {
  const hit = unitCache.get(file);
  if (hit && hit.text === text) return hit.units;
  const units = indexUnits(text, lang);
  unitCache.delete(file);
  unitCache.set(file, { text, units });
  if (unitCache.size > 500) unitCache.delete(unitCache.keys().next().value!);
  return units;
}

function hasOwn(table: RevisionLatency, file: string, u: CodeUnit, text?: string): boolean {
  return ownSamples(table, file, u, text).size > 0;
}

/** A named handler's own spans: inside it, and at the lines that register it as a route
 *  (`router.get('/', list)`): register and the collector's route table place a request's
 *  server span at the route's registration line, not inside the function. */
function ownSamples(table: RevisionLatency, file: string, u: { name: string; start: number; end: number }, text: string | undefined): Map<number, RevisionSamples[]> {
  const own = table.lineSamples(file, u.start, u.end, 'own');
  for (const line of text !== undefined ? routeLinesOf(text, u.name) : []) {
    for (const [l, samples] of table.lineSamples(file, line, line, 'own')) own.set(l, samples);
  }
  return own;
}

const ROUTE_VERB = /\.\s*(?:get|post|put|patch|delete|del|all|head|options)\s*\(\s*(['"`])[^'"`]{0,300}\1\s*,/;
/** Lines of `text` that register `name` as the (last) handler of a route, on one line. */
export function routeLinesOf(text: string, name: string): number[] {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return [];
  const last = new RegExp(`[,(]\\s*(?:[\\w$.]+\\(\\s*)?${name.replace(/\$/g, '\\$')}\\s*\\)?\\s*\\)\\s*;?\\s*$`);
  const out: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (ROUTE_VERB.test(l) && last.test(l)) out.push(i + 1);
  });
  return out;
}

async function measureUnit(
  table: RevisionLatency,
  file: string,
  u: { name: string; start: number; end: number },
  commit: string | undefined,
  sideOf: (commit: string, revision: string) => Promise<RevisionSide>,
  opts: MeasureOptions,
  text?: string,
): Promise<UnitFigure> {
  const own = ownSamples(table, file, u, text);
  // The entry span, per revision: the line inside the unit most of that revision's calls
  // start at. Inner spans the unit opens itself (rarer, at other lines) would dilute it like
  // children do. Per revision, because a span whose start line the AI diff rewrote lands on
  // a neighbouring line when an older revision is mapped to today's text.
  const best = new Map<string, { line: number; s: RevisionSamples }>();
  for (const [line, samples] of own) {
    for (const s of samples) {
      const b = best.get(s.revision);
      if (!b || s.calls > b.s.calls || (s.calls === b.s.calls && line < b.line)) best.set(s.revision, { line, s });
    }
  }
  const sides: Record<RevisionSide, RevisionSamples[]> = { before: [], after: [], unknown: [] };
  const side = async (rev: string): Promise<RevisionSide> => (commit ? sideOf(commit, rev) : 'after');
  let spanLine: number | undefined;
  let spanSide: RevisionSide | undefined;
  for (const { line, s } of best.values()) {
    const k = await side(s.revision);
    sides[k].push(s);
    // Report today's line of the newest side that ran (after, else before, else unknown).
    if (spanLine === undefined || rank(k) > rank(spanSide!)) [spanLine, spanSide] = [line, k];
  }
  const queries = { before: 0, after: 0 };
  for (const samples of table.lineSamples(file, u.start, u.end, 'query').values()) {
    for (const s of samples) {
      const k = await side(s.revision);
      if (k !== 'unknown') queries[k] += s.calls;
    }
  }
  // A revision the clone lacks cannot be mapped to today's lines, so its spans sit at that
  // revision's line numbers: they are counted for the whole file, wherever they landed.
  sides.unknown = [];
  for (const samples of table.lineSamples(file, 1, Number.MAX_SAFE_INTEGER, 'own').values()) {
    for (const s of samples) if ((await side(s.revision)) === 'unknown') sides.unknown.push(s);
  }
  const count = (list: RevisionSamples[]): CallCount => ({ calls: list.reduce((n, s) => n + s.calls, 0), errors: list.reduce((n, s) => n + s.errors, 0) });
  const unknown = { ...count(sides.unknown), revisions: [...new Set(sides.unknown.map((s) => s.revision))] };
  const fig: UnitFigure = { name: u.name, start: u.start, end: u.end, ...(spanLine !== undefined ? { spanLine } : {}), before: count(sides.before), after: count(sides.after), unknown, queries, sentence: '' };
  const label = /^lines /.test(u.name) ? u.name : `${u.name}()`;
  if (!commit) {
    fig.sentence = `${label}: not committed yet, no before/after (${fig.after.calls} calls, ${fig.after.errors} errors seen)`;
  } else if (spanLine === undefined) {
    fig.sentence = `${label}: not seen running`;
  } else {
    fig.beforeAfter = compareBeforeAfter(mergeSamples('before', sides.before), mergeSamples(commit, sides.after), { note: '(AI diff)', minSamples: opts.minSamples });
    fig.sentence = `${label}: ${fig.beforeAfter.summary}${queryPart(fig)}`;
  }
  if (unknown.calls) fig.sentence += ` · ${unknown.calls} calls in this file from ${unknown.revisions.length === 1 ? `revision ${short(unknown.revisions[0])}` : `${unknown.revisions.length} revisions`} not in this clone (git fetch to place them)`;
  return fig;
}

/** "· 9.0 queries per call (was 1.0)" when the unit issues noticeably more queries per call. */
function queryPart(f: UnitFigure): string {
  if (!f.after.calls || !f.queries.after) return '';
  const per = f.queries.after / f.after.calls;
  const was = f.before.calls ? f.queries.before / f.before.calls : undefined;
  if (was !== undefined && per < was * 1.5 && per - was < 1) return '';
  return ` · ${per.toFixed(1)} queries per call${was !== undefined ? ` (was ${was.toFixed(1)})` : ''}`;
}

/** The unit that speaks for the whole diff: the worst measured regression, else the first
 *  unit with a before/after (even not-enough-data), else the first unit. */
export function headline(units: readonly UnitFigure[]): UnitFigure | undefined {
  const ok = units.filter((u) => u.beforeAfter?.status === 'ok');
  if (ok.length) return ok.reduce((a, b) => ((b.beforeAfter!.p95Ratio ?? 0) > (a.beforeAfter!.p95Ratio ?? 0) ? b : a));
  return units.find((u) => u.beforeAfter) ?? units.find((u) => u.spanLine !== undefined) ?? units[0];
}

const rank = (k: RevisionSide) => (k === 'after' ? 2 : k === 'before' ? 1 : 0);
const short = (rev: string) => (/^[0-9a-f]{8,}$/i.test(rev) ? rev.slice(0, 7) : rev);
