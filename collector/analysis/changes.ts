// Adapters from the git area to the incident timeline's `ChangeSource`: deploy markers
// (DeployTracker) and AI diffs (the AI-diff ledger). An AI diff counts as "shipped shortly
// before" when its commit is the revision of a deploy in the window, or, with no deploy
// naming it, when it was made in the window.
import type { AiDiff, DeployMarker } from '../git/types';
import type { ChangeSource } from './analyzer';
import type { ChangeEntry } from './types';

export function deployChanges(tracker: { markers(service?: string): DeployMarker[] }): ChangeSource {
  return {
    async changesBefore(service, fromMs, toMs) {
      return tracker.markers(service)
        .filter((m) => m.firstSeenMs >= fromMs && m.firstSeenMs <= toMs)
        .map((m) => ({ atMs: m.firstSeenMs, kind: 'deploy', commit: m.revision, text: `Deploy: ${service} now runs ${m.revision.slice(0, 12)}${m.previous ? ` (was ${m.previous.slice(0, 12)})` : ''}` }));
    },
  };
}

const sameCommit = (a: string, b: string) => a.length >= 7 && b.length >= 7 && (a.startsWith(b) || b.startsWith(a));

export function aiDiffChanges(diffs: () => Promise<AiDiff[]>, tracker?: { markers(service?: string): DeployMarker[] }): ChangeSource {
  return {
    async changesBefore(service, fromMs, toMs) {
      const deploys = tracker?.markers(service).filter((m) => m.firstSeenMs >= fromMs && m.firstSeenMs <= toMs) ?? [];
      const out: ChangeEntry[] = [];
      for (const d of await diffs()) {
        if (d.state === 'dismissed') continue;
        const deploy = d.commit ? deploys.find((m) => sameCommit(m.revision, d.commit!)) : undefined;
        if (!deploy && (d.timeMs < fromMs || d.timeMs > toMs)) continue;
        const what = d.subject ?? d.files.map((f) => f.path).slice(0, 3).join(', ');
        out.push({ atMs: deploy?.firstSeenMs ?? d.timeMs, kind: 'aiDiff', aiDiffId: d.id, commit: d.commit, text: `AI diff${d.tool ? ` (${d.tool})` : ''}${deploy ? ' shipped' : ''}: ${what}` });
      }
      return out;
    },
  };
}

/** All entries of several sources, in time order. A failing source fails the lookup (the
 *  analyzer counts and logs it). */
export function combineChanges(...sources: ChangeSource[]): ChangeSource {
  return {
    async changesBefore(service, fromMs, toMs) {
      const lists = await Promise.all(sources.map((s) => s.changesBefore(service, fromMs, toMs)));
      return lists.flat().sort((a, b) => a.atMs - b.atMs);
    },
  };
}
