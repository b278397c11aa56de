// What the analyzer saves through the store's `getState/putState`, in two keys: the small,
// often-changing part (errors, findings, detector state, alerts, incidents, uptime) and the
// baselines (bigger: packed buckets of the last `persistMinutes`, saved less often).
// A version mismatch restores nothing rather than something half-understood.
import type { ErrorTracker } from './errors/errors';
import type { QueryAnalyzer } from './findings/queries';
import type { Baselines } from './baselines/baselines';
import type { Detectors } from './detectors/detectors';
import type { AlertEngine } from './alerts/alerts';
import type { IncidentManager } from './incidents/incidents';
import type { StatusTracker } from './status/status';
import type { AnalysisSettings } from './settings';

export const STATE_KEY = 'analysis.v1';
export const BASELINES_KEY = 'analysis.v1.baselines';

export interface EngineParts {
  errors: ErrorTracker;
  queries: QueryAnalyzer;
  baselines: Baselines;
  detectors: Detectors;
  alerts: AlertEngine;
  incidents: IncidentManager;
  statusTracker: StatusTracker;
}

export function coreState(p: EngineParts, nowMs: number) {
  return {
    v: 1 as const,
    savedAtMs: nowMs,
    errors: p.errors.toJSON(),
    queries: p.queries.toJSON(),
    detectors: p.detectors.toJSON(),
    alerts: p.alerts.toJSON(),
    incidents: p.incidents.toJSON(),
    status: p.statusTracker.toJSON(),
  };
}
export type CoreState = ReturnType<typeof coreState>;

export function baselineState(p: EngineParts, s: AnalysisSettings, nowMs: number) {
  return { v: 1 as const, baselines: p.baselines.toJSON({ lastMinutes: s.persistMinutes, coarsen: s.persistCoarsen, fullMinutes: s.persistFullMinutes, nowMs }) };
}
export type BaselineState = ReturnType<typeof baselineState>;

export function restore(p: EngineParts, core: CoreState | undefined, base: BaselineState | undefined): void {
  if (core?.v === 1) {
    p.errors.load(core.errors);
    p.queries.load(core.queries);
    p.detectors.load(core.detectors);
    p.alerts.load(core.alerts);
    p.incidents.load(core.incidents);
    p.statusTracker.load(core.status);
  }
  if (base?.v === 1) p.baselines.load(base.baselines);
}
