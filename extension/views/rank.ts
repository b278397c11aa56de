// AI diffs in the order the AI Diffs view shows them. With production figures from a team
// collector (team mode), a diff's production risk ranks first: what the code does in
// production outweighs what it did on this machine. Then the local runtime risk; diffs the
// collector scored come before unscored ones; newest first among equals. Pure.
import type { AiDiffView } from '../../collector/git/types';
import type { RepoAiDiff } from '../../collector/model/teamQueries';

export function rankAiDiffs(diffs: readonly AiDiffView[], production: ReadonlyMap<string, RepoAiDiff> = new Map()): AiDiffView[] {
  const prodScore = (d: AiDiffView) => (d.commit ? production.get(d.commit)?.risk?.score : undefined) ?? -1;
  return diffs
    .filter((d) => d.state !== 'dismissed')
    .sort((a, b) => prodScore(b) - prodScore(a) || (b.risk?.score ?? -1) - (a.risk?.score ?? -1) || b.timeMs - a.timeMs || a.id.localeCompare(b.id));
}
