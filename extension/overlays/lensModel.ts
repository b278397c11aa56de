// What lenses a file gets, computed from the collector's per-line aggregates and the AI
// ranges of the file. Pure (no vscode) so `provideCodeLenses` is a thin adapter and the
// computation is benchmarked in plain Node (bench/extension.ts).
import type { LineStats } from '../../collector/live/protocol';
import { aiLensTitle, formatMs, logLensTitle, spanLensTitle } from './format';
import { labelText, plainText } from '../../collector/text/sinkText';

/** An AI-written range of one file, with the runtime numbers of its diff. */
export interface AiRangeInfo {
  diffId: string;
  /** 1-based inclusive, in disk coordinates (like LineStats.line). */
  start: number;
  end: number;
  tool?: string;
  model?: string;
  timeMs: number;
  commit?: string;
  state: 'confirmed' | 'suspected' | 'dismissed';
  source: string;
  p95Ratio?: number;
  beforeAfter?: string;
  subject?: string;
  /** The range lies in a function the collector measured (its own spans), wherever they start. */
  measured?: boolean;
}

export interface LensSpec {
  /** 0-based line in the buffer (after line tracking). */
  line: number;
  title: string;
  tooltip: string;
  command: string;
  args: unknown[];
}

/** The argument object panel commands receive when opened from the editor. */
export interface LocationFocus {
  file: string;
  line: number;
  aiDiffId?: string;
  traceId?: string;
  errorGroupId?: string;
}

export type LineMap = (line0: number) => number | undefined;
const identity: LineMap = (l) => l;

/**
 * Lenses for one file: one per span location, one per log call site, and an AI lens at the
 * first line with span data inside each (non-dismissed) AI range, or at the range's first
 * line when none has but the range's function was measured. Lines with no data get
 * nothing; a line that the user's edits deleted gets nothing.
 */
export function buildLenses(file: string, lines: readonly LineStats[], ai: readonly AiRangeInfo[], nowMs: number, map: LineMap = identity): LensSpec[] {
  const out: LensSpec[] = [];
  // The sink: CodeLens titles render `$(icon)` and show one line; tooltips are plain text.
  // Severity names, tool/model names, commit subjects and span names are untrusted.
  const push = (l: LensSpec) => out.push({ ...l, title: labelText(l.title, 120), tooltip: plainText(l.tooltip, 500) });
  const aiSeen = new Set<string>();
  const liveAi = ai.filter((r) => r.state !== 'dismissed');
  const sorted = [...lines].sort((a, b) => a.line - b.line || (a.kind === b.kind ? 0 : a.kind === 'span' ? -1 : 1));
  for (const s of sorted) {
    if (s.calls <= 0) continue;
    const line = map(s.line - 1);
    if (line === undefined) continue;
    const focus: LocationFocus = { file, line: s.line };
    if (s.kind === 'span') {
      for (const r of liveAi) {
        if (s.line < r.start || s.line > r.end || aiSeen.has(r.diffId)) continue;
        aiSeen.add(r.diffId);
        push({
          line,
          title: aiLensTitle(r, nowMs),
          tooltip: aiTooltip(r),
          command: 'vibewatch.openTraces',
          args: [{ ...focus, aiDiffId: r.diffId }],
        });
      }
      push({
        line,
        title: spanLensTitle(s),
        tooltip: spanTooltip(s),
        command: s.errors > 0 ? 'vibewatch.openErrors' : 'vibewatch.openTraces',
        args: [focus],
      });
    } else {
      push({ line, title: logLensTitle(s), tooltip: `Log records written at this line (${s.names.slice(0, 3).join(', ') || 'no message templates'}). Click to open them.`, command: 'vibewatch.openLogs', args: [focus] });
    }
  }
  // A body-only change: no span starts inside the range, but its function was measured.
  // The lens goes on the range's first line.
  for (const r of liveAi) {
    if (aiSeen.has(r.diffId) || !r.measured) continue;
    const line = map(r.start - 1);
    if (line === undefined) continue;
    aiSeen.add(r.diffId);
    push({ line, title: aiLensTitle(r, nowMs), tooltip: aiTooltip(r), command: 'vibewatch.openTraces', args: [{ file, line: r.start, aiDiffId: r.diffId }] });
  }
  return out;
}

function spanTooltip(s: LineStats): string {
  const parts = [`${s.calls} calls`];
  if (s.p50Ms !== undefined) parts.push(`p50 ${formatMs(s.p50Ms)}`);
  if (s.p95Ms !== undefined) parts.push(`p95 ${formatMs(s.p95Ms)}`);
  parts.push(`${s.errors} errors`);
  const names = s.names.length ? ` — ${s.names.slice(0, 3).join(', ')}` : '';
  return `${parts.join(', ')}${names}. Click to open ${s.errors > 0 ? 'the errors' : 'the traces'} for this line.`;
}

function aiTooltip(r: AiRangeInfo): string {
  const who = [r.tool, r.model].filter(Boolean).join(' / ') || 'an AI tool';
  const what = r.state === 'suspected' ? 'Suspected AI edit (not confirmed)' : `AI diff by ${who}`;
  const commit = r.commit ? ` in ${r.commit.slice(0, 7)}${r.subject ? ` “${r.subject}”` : ''}` : '';
  const ba = r.beforeAfter ? ` ${r.beforeAfter}` : '';
  return `${what}${commit}, lines ${r.start}–${r.end} (source: ${r.source}).${ba}`;
}

/** Which lenses a file shows: without a team collector, always the local ones (a stale
 *  "production only" choice must not hide everything). */
export function lensSources(show: 'both' | 'local' | 'production', teamSet: boolean): { local: boolean; production: boolean } {
  if (!teamSet) return { local: true, production: false };
  return { local: show !== 'production', production: show !== 'local' };
}

/**
 * Production lenses: one per line the team collector has spans for, on the line of this
 * working copy the collector mapped it to, labelled so it is never read as local data.
 * Clicking shows where the figures come from.
 */
export function teamLenses(lines: readonly LineStats[], revision: string | undefined, map: LineMap = identity): LensSpec[] {
  const out: LensSpec[] = [];
  const at = revision ? ` at ${revision.slice(0, 7)}` : '';
  for (const s of [...lines].sort((a, b) => a.line - b.line)) {
    if (s.kind !== 'span' || s.calls <= 0) continue;
    const line = map(s.line - 1);
    if (line === undefined) continue;
    out.push({
      line,
      // Our icon, then numbers only (formatCount/formatMs): nothing from telemetry in the title.
      title: `$(cloud) production: ${spanLensTitle(s)}`,
      tooltip: plainText(`Production figures from the team collector${at}, mapped onto this working copy: ${spanTooltip(s).replace(/ Click to open .*$/, '')}`, 500),
      command: 'vibewatch.showTeamStatus',
      args: [],
    });
  }
  return out;
}
