// Markdown tooltips of the side views. Pure (no vscode). Commit subjects, tool names and risk
// reasons come from git history and telemetry: each goes through markdownText; the bold and
// the list markers are ours.
import type { AiDiffView } from '../../collector/git/types';
import { markdownText } from '../../collector/text/sinkText';

export function aiDiffTooltipMarkdown(d: Pick<AiDiffView, 'subject' | 'source' | 'commit' | 'risk'>): string {
  const head = `**${markdownText(d.subject ?? 'AI diff')}** (${markdownText(`${d.source}${d.commit ? `, ${d.commit.slice(0, 7)}` : ''}`)})`;
  const reasons = (d.risk?.reasons ?? ['no runtime data yet']).slice(0, 20).map((r) => `- ${markdownText(r, 300)}`);
  return [head, ...reasons].join('\n');
}
