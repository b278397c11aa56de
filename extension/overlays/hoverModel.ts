// The hover's Markdown for one line, from the line's aggregates and the AI ranges covering
// it. Pure (no vscode): the controller wraps it in a trusted MarkdownString that allows
// only the Vibewatch commands it links to.
import type { LineStats } from '../../collector/live/protocol';
import type { AiRangeInfo } from './lensModel';
import { aiLensTitle, formatAgo, formatCount, formatMs, logLensTitle, sparkline } from './format';
import { markdownCode, markdownText } from '../../collector/text/sinkText';

export const HOVER_COMMANDS = ['vibewatch.openTraces', 'vibewatch.openLogs'];

/** `command:` URI with JSON arguments, as VS Code's Markdown command links expect. The
 *  parentheses encodeURIComponent leaves alone are encoded too: a `)` from a value would
 *  otherwise end the link target. */
export function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args)).replace(/[()!'*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

// Every value from telemetry or the workspace goes through markdownText (escaped inline text)
// or markdownCode (a code span it cannot close); the Markdown around them is ours.
const escapeMd = (s: string) => markdownText(s, 300);

export function hoverMarkdown(file: string, stats: readonly LineStats[], ai: readonly AiRangeInfo[], nowMs: number): string | undefined {
  if (stats.length === 0 && ai.length === 0) return undefined;
  const parts: string[] = [];
  for (const s of stats) {
    if (s.kind === 'span') {
      const head = s.function ? `**${escapeMd(s.function)}**` : '**Runtime**';
      const names = s.names.length ? ` — ${s.names.slice(0, 3).map((n) => markdownCode(n, 120)).join(', ')}` : '';
      parts.push(`${head}${names}`);
      const nums = [`${formatCount(s.calls)} calls`];
      if (s.p50Ms !== undefined) nums.push(`p50 ${formatMs(s.p50Ms)}`);
      if (s.p95Ms !== undefined) nums.push(`p95 ${formatMs(s.p95Ms)}`);
      nums.push(`${formatCount(s.errors)} errors${s.calls ? ` (${((100 * s.errors) / s.calls).toFixed(1)}%)` : ''}`);
      nums.push(`last seen ${formatAgo(s.lastSeenMs, nowMs)}`);
      parts.push(nums.join(' · '));
    } else {
      parts.push(`**Log call site** — ${escapeMd(logLensTitle(s))} · last ${formatAgo(s.lastSeenMs, nowMs)}`);
    }
    if (s.perMinute.length) {
      const total = s.perMinute.reduce((a, b) => a + b, 0);
      parts.push(`\`${sparkline(s.perMinute)}\` ${formatCount(total)} in the last ${s.perMinute.length} min (per minute, oldest first)`);
    }
    if (s.recentTraceIds.length) {
      const links = s.recentTraceIds.slice(0, 5).map((t) => `[${escapeMd(t.slice(0, 8))}](${commandUri('vibewatch.openTraces', [{ traceId: t, file, line: s.line }])})`);
      parts.push(`Latest traces: ${links.join(' ')}`);
    }
    if (s.kind === 'log') parts.push(`[Open logs](${commandUri('vibewatch.openLogs', [{ file, line: s.line }])})`);
  }
  for (const r of ai) {
    const by = r.commit ? ` in ${markdownCode(r.commit.slice(0, 7))}${r.subject ? ` ${escapeMd(r.subject)}` : ''}` : '';
    // The before/after sentence is the lens title's (aiLensTitle), not repeated here.
    parts.push(`$(sparkle) ${escapeMd(aiLensTitle(r, nowMs))}${by} — lines ${r.start}–${r.end}, via ${escapeMd(r.source)}`);
  }
  return parts.join('\n\n');
}
