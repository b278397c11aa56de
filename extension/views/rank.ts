// AI diffs in the order the AI Diffs view shows them: highest runtime risk first; diffs the
// collector scored come before unscored ones; newest first among equals. Pure.
import type { AiDiffView } from '../../collector/git/types';

export function rankAiDiffs(diffs: readonly AiDiffView[]): AiDiffView[] {
  return diffs
    .filter((d) => d.state !== 'dismissed')
    .sort((a, b) => (b.risk?.score ?? -1) - (a.risk?.score ?? -1) || b.timeMs - a.timeMs || a.id.localeCompare(b.id));
}
