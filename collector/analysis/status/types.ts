// The public status: components from status.json, uptime, public incidents (public data only).
import type { Severity } from '../shared/severity';
import type { IncidentPublicState, PublicUpdate } from '../incidents/types';

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';
export const STATUS_RANK: Record<ComponentStatus, number> = { operational: 0, degraded_performance: 1, partial_outage: 2, major_outage: 3 };

export interface StatusComponentConfig {
  id: string;
  name: string;
  /** Service-name globs and/or route globs (`GET /api/orders*`, `/api/*`). */
  services?: string[];
  routes?: string[];
}

export interface UptimeDay {
  /** UTC date, YYYY-MM-DD. */
  date: string;
  observedMin: number;
  degradedMin: number;
  partialMin: number;
  majorMin: number;
  /** 0..1, where partial outage counts 30% of its minutes (as common status pages do). */
  uptime: number;
}

export interface ComponentView {
  id: string;
  name: string;
  status: ComponentStatus;
  uptime90d: number;
  history: UptimeDay[];
}

/** Public data only: no stack traces, paths or attributes. */
export interface PublicIncidentView {
  id: string;
  title: string;
  impact: Severity;
  state: IncidentPublicState;
  startedAtMs: number;
  resolvedAtMs?: number;
  components: string[];
  updates: PublicUpdate[];
}

export interface StatusView {
  overall: ComponentStatus;
  components: ComponentView[];
  incidents: PublicIncidentView[];
  generatedAtMs: number;
}
