// Markdown tooltips of the side views. Pure (no vscode). Commit subjects, tool names and risk
// reasons come from git history and telemetry: each goes through markdownText; the bold and
// the list markers are ours.
import type { AiDiffView } from '../../collector/git/types';
import type { RepoAiDiff } from '../../collector/model/teamQueries';
import { formatCount } from '../overlays/format';
import { markdownText } from '../../collector/text/sinkText';

export function aiDiffTooltipMarkdown(d: Pick<AiDiffView, 'subject' | 'source' | 'commit' | 'risk'>): string {
  const head = `**${markdownText(d.subject ?? 'AI diff')}** (${markdownText(`${d.source}${d.commit ? `, ${d.commit.slice(0, 7)}` : ''}`)})`;
  const reasons = (d.risk?.reasons ?? ['no runtime data yet']).slice(0, 20).map((r) => `- ${markdownText(r, 300)}`);
  return [head, ...reasons].join('\n');
}

/** The production paragraph of an AI diff's tooltip (team mode): labelled, numbers ours, the
 *  sentence and reasons from the team collector escaped. */
export function productionMarkdown(p: Pick<RepoAiDiff, 'calls' | 'errors' | 'risk' | 'beforeAfter'>): string {
  const figures = `${formatCount(p.calls)} calls, ${formatCount(p.errors)} errors${p.risk ? `, risk ${p.risk.score.toFixed(1)}` : ''}`;
  const sentence = p.beforeAfter ? ` — ${markdownText(p.beforeAfter, 300)}` : '';
  const reasons = (p.risk?.reasons ?? []).slice(0, 5).map((r) => `\n- ${markdownText(r, 300)}`).join('');
  return `**Production** (team collector): ${figures}${sentence}${reasons}`;
}
