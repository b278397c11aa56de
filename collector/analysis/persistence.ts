// What the analyzer saves through the store's `getState/putState`, in two keys: the small,
// often-changing part (each `core` feature's state under its name: errors, queries,
// detectors, alerts, incidents, status) and the baselines (bigger: packed buckets of the last
// `persistMinutes`, saved less often). A version mismatch restores nothing rather than
// something half-understood.
import type { AnalysisFeature } from './feature';

export const STATE_KEY = 'analysis.v1';
export const BASELINES_KEY = 'analysis.v1.baselines';

export interface SavedPart {
  v: 1;
  savedAtMs?: number;
  [feature: string]: unknown;
}

export function coreState(features: readonly AnalysisFeature[], nowMs: number): SavedPart {
  return { v: 1, savedAtMs: nowMs, ...partOf(features, 'core', nowMs) };
}

export function baselineState(features: readonly AnalysisFeature[], nowMs: number): SavedPart {
  return { v: 1, ...partOf(features, 'baselines', nowMs) };
}

function partOf(features: readonly AnalysisFeature[], part: 'core' | 'baselines', nowMs: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of features) if (f.part === part && f.save) out[f.name] = f.save(nowMs);
  return out;
}

/** Hands each feature, in order, its saved state (undefined when none or another version). */
export function restore(features: readonly AnalysisFeature[], core: SavedPart | undefined, base: SavedPart | undefined): void {
  for (const f of features) {
    const part = f.part === 'core' ? core : f.part === 'baselines' ? base : undefined;
    f.load?.(part?.v === 1 ? part[f.name] : undefined);
  }
}
