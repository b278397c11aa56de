// Alert rules: the defaults a new user gets with no configuration, validation of rules from
// settings and `<workspace>/.vibewatch/alerts.json`, and their merge (a rule with a default's
// id replaces it; `"defaults": false` in a file or setting drops the defaults).
import type { AlertKind, AlertRule } from './types';
import type { Severity } from '../shared/severity';
import { parseDurationMs } from '../shared/normalize';

export const DEFAULT_RULES: AlertRule[] = [
  { id: 'default.endpoint-error-rate', title: 'High error rate', kind: 'errorRate', op: '>', threshold: 0.05, windowMinutes: 5, minCalls: 20, for: '2m', severity: 'warning', origin: 'default' },
  { id: 'default.endpoint-error-rate-critical', title: 'Very high error rate', kind: 'errorRate', op: '>', threshold: 0.25, windowMinutes: 5, minCalls: 20, for: '2m', severity: 'critical', origin: 'default' },
  { id: 'default.endpoint-p95-anomaly', title: 'Latency p95 anomaly', kind: 'anomalous', signal: 'p95', series: 'endpoint', for: '3m', severity: 'warning', origin: 'default' },
  { id: 'default.memory-trend', title: 'Memory grows towards its limit', kind: 'trendLimit', withinMinutes: 60, for: '5m', severity: 'warning', origin: 'default' },
  { id: 'default.n-plus-one', title: 'N+1 query detected', kind: 'nPlusOneCount', windowMinutes: 15, severity: 'info', origin: 'default' },
];

const KINDS: AlertKind[] = ['errorRate', 'latencyP95', 'metric', 'slowQueryCount', 'nPlusOneCount', 'anomalous', 'trendLimit'];
const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];
const OPS = ['>', '>=', '<', '<='];
const SIGNALS = ['p95', 'errorRate', 'rate', 'value'];

/** Validates one rule; returns it (normalised) or a message saying what is wrong. */
export function validateRule(raw: unknown, origin: AlertRule['origin']): AlertRule | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'a rule must be an object';
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !r.id) return 'rule without an "id"';
  const where = `rule "${r.id}"`;
  if (!KINDS.includes(r.kind as AlertKind)) return `${where}: "kind" must be one of ${KINDS.join(', ')}`;
  const severity = r.severity ?? 'warning';
  if (!SEVERITIES.includes(severity as Severity)) return `${where}: "severity" must be info, warning or critical`;
  if (r.op !== undefined && !OPS.includes(r.op as string)) return `${where}: "op" must be one of ${OPS.join(' ')}`;
  if (r.signal !== undefined && !SIGNALS.includes(r.signal as string)) return `${where}: "signal" must be one of ${SIGNALS.join(', ')}`;
  if (r.series !== undefined && !['endpoint', 'location', 'metric'].includes(r.series as string)) return `${where}: "series" must be endpoint, location or metric`;
  for (const k of ['threshold', 'windowMinutes', 'minCalls', 'withinMinutes']) {
    if (r[k] !== undefined && (typeof r[k] !== 'number' || !Number.isFinite(r[k]))) return `${where}: "${k}" must be a number`;
  }
  for (const k of ['service', 'route', 'metric', 'title']) {
    if (r[k] !== undefined && typeof r[k] !== 'string') return `${where}: "${k}" must be a string`;
  }
  if (r.for !== undefined && parseDurationMs(r.for as string | number) === 0 && r.for !== 0 && r.for !== '0') return `${where}: "for" must be a duration like "2m" or "30s"`;
  if ((r.kind === 'metric' || r.kind === 'latencyP95') && typeof r.threshold !== 'number') return `${where}: "${r.kind}" needs a "threshold"`;
  if (r.kind === 'metric' && typeof r.metric !== 'string') return `${where}: "metric" needs a "metric" name or glob`;
  return { ...(r as unknown as AlertRule), severity: severity as Severity, origin };
}

export interface RuleSet {
  rules: AlertRule[];
  errors: string[];
}

/** `source` is what a settings block or an alerts.json file holds: an array of rules, or
 *  `{ rules: [...], defaults?: boolean }`. */
export function mergeRules(sources: { origin: 'settings' | 'file'; name: string; content: unknown }[]): RuleSet {
  const errors: string[] = [];
  let useDefaults = true;
  const custom: AlertRule[] = [];
  for (const src of sources) {
    const c = src.content;
    const list = Array.isArray(c) ? c : typeof c === 'object' && c !== null ? (c as { rules?: unknown }).rules : undefined;
    if (typeof c === 'object' && c !== null && (c as { defaults?: unknown }).defaults === false) useDefaults = false;
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      errors.push(`${src.name}: "rules" must be an array`);
      continue;
    }
    for (const raw of list) {
      const r = validateRule(raw, src.origin);
      if (typeof r === 'string') errors.push(`${src.name}: ${r}`);
      else custom.push(r);
    }
  }
  const byId = new Map<string, AlertRule>();
  if (useDefaults) for (const r of DEFAULT_RULES) byId.set(r.id, r);
  for (const r of custom) byId.set(r.id, r);
  return { rules: [...byId.values()].filter((r) => r.enabled !== false), errors };
}
