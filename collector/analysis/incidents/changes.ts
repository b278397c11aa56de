// Adapters from the git component to the incident timeline's `ChangeSource`: deploy markers
// (DeployTracker) and AI diffs (the AI-diff ledger), with the AI diffs of the running
// revision whose code fails ranked as the incident's suspects (see aiDiffChanges).
import type { AiDiff, DeployMarker } from '../../git/types';
import type { ChangeSource } from './incidentsFeature';
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

/** What the git component tells the suspect ranking (all optional: without them, the time rule). */
export interface SuspectDeps {
  /** Ancestry: does `revision` (the one the service runs) contain `commit`? `unknown` when
   *  the clone does not have it. */
  sideOf?(diff: AiDiff, revision: string): Promise<'before' | 'after' | 'unknown'>;
  /** The code units (today's absolute path and lines) a diff's ranges touch. */
  unitsOf?(diff: AiDiff): Promise<{ file: string; name: string; start: number; end: number }[]>;
}

/**
 * AI diffs as incident changes. A diff is listed when the revision running at the alert
 * contains it (git ancestry, not SHA equality) and it shipped in the window (a deploy in
 * the window brought it) or its code units are where the failures are; without a running
 * revision or ancestry, when a deploy of exactly its commit or its own time falls in the
 * window. Diffs in the running revision whose units hold failing frames are suspects, first.
 */
export function aiDiffChanges(diffs: () => Promise<AiDiff[]>, tracker?: { markers(service?: string): DeployMarker[]; current?(service: string): string | undefined }, deps: SuspectDeps = {}): ChangeSource {
  return {
    async changesBefore(service, fromMs, toMs, ctx) {
      const deploys = tracker?.markers(service).filter((m) => m.firstSeenMs >= fromMs && m.firstSeenMs <= toMs) ?? [];
      const running = tracker?.current?.(service);
      const out: ChangeEntry[] = [];
      for (const d of await diffs()) {
        if (d.state === 'dismissed') continue;
        const what = d.subject ?? d.files.map((f) => f.path).slice(0, 3).join(', ');
        const who = `AI diff${d.tool ? ` (${d.tool})` : ''}`;
        // A running revision the clone lacks decides nothing: the time rule below applies.
        const side = d.commit && running && deps.sideOf ? await deps.sideOf(d, running) : 'unknown';
        const inRunning = side === 'unknown' ? undefined : side === 'after';
        if (inRunning) {
          // The deploy in the window whose revision first contains it dates it.
          let shippedBy: DeployMarker | undefined;
          for (const m of deploys) {
            if (m.revision === running || (await deps.sideOf!(d, m.revision)) === 'after') {
              const prevHad = m.previous ? (await deps.sideOf!(d, m.previous)) === 'after' : false;
              if (!prevHad) {
                shippedBy = m;
                break;
              }
            }
          }
          const hits = await failingHits(d, ctx?.failing ?? [], deps);
          if (!shippedBy && !hits.length) continue;
          const why = hits.length
            ? `in the running revision ${running!.slice(0, 7)}; its ${hits.slice(0, 3).join(', ')} ${hits.length === 1 ? 'is' : 'are'} in the failing frames`
            : `in the running revision ${running!.slice(0, 7)}, shipped ${shippedBy!.revision.slice(0, 7)}`;
          out.push({
            atMs: shippedBy?.firstSeenMs ?? d.timeMs, kind: 'aiDiff', aiDiffId: d.id, commit: d.commit,
            text: `${who}${shippedBy ? ' shipped' : ''}: ${what} — suspect: ${why}`,
            suspect: { score: (hits.length ? 100 : 10) + Math.min(hits.length, 9), why },
          });
          continue;
        }
        if (inRunning === false) continue;
        const deploy = d.commit ? deploys.find((m) => sameCommit(m.revision, d.commit!)) : undefined;
        if (!deploy && (d.timeMs < fromMs || d.timeMs > toMs)) continue;
        out.push({ atMs: deploy?.firstSeenMs ?? d.timeMs, kind: 'aiDiff', aiDiffId: d.id, commit: d.commit, text: `${who}${deploy ? ' shipped' : ''}: ${what}` });
      }
      return out;
    },
  };
}

/** Names of the diff's units that contain a failing location ("checkout()"). */
async function failingHits(d: AiDiff, failing: readonly { file: string; line: number }[], deps: SuspectDeps): Promise<string[]> {
  if (!failing.length || !deps.unitsOf) return [];
  const hits: string[] = [];
  for (const u of await deps.unitsOf(d)) {
    if (failing.some((l) => l.file === u.file && u.start <= l.line && l.line <= u.end)) hits.push(/^lines /.test(u.name) ? u.name : `${u.name}()`);
  }
  return [...new Set(hits)];
}

/** All entries of several sources, in time order. A failing source fails the lookup (the
 *  analyzer counts and logs it). */
export function combineChanges(...sources: ChangeSource[]): ChangeSource {
  return {
    async changesBefore(service, fromMs, toMs, ctx) {
      const lists = await Promise.all(sources.map((s) => s.changesBefore(service, fromMs, toMs, ctx)));
      return lists.flat().sort((a, b) => a.atMs - b.atMs);
    },
  };
}
