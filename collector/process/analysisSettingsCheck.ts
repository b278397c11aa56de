// Checks `--analysis-settings` JSON against the shape of the defaults, once at start: a field
// nobody reads, or a value of the wrong type, is a configuration error naming the field
// (exit 2) instead of a setting silently ignored or a crash at the first tick.
import { ConfigError } from '../config';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../analysis/settings';

const SEVERITIES = ['info', 'warning', 'critical'];
/** Fields whose value is not like their default's: checked by their own rules below. */
const FREE = new Set(['rules', 'limits', 'webhooks', 'memoryMetrics', 'incidentSeverity']);

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function checkLike(path: string, value: unknown, like: unknown): void {
  if (kindOf(value) !== kindOf(like)) throw new ConfigError(`${path} must be ${kindOf(like) === 'object' ? 'an object' : `a ${kindOf(like)}`} (got ${kindOf(value)})`);
  if (typeof like === 'number' && (!Number.isFinite(value as number) || (value as number) < 0)) throw new ConfigError(`${path} must be a finite number >= 0`);
  if (typeof like === 'string' && like === DEFAULT_SETTINGS.robust.direction && !['both', 'up', 'down'].includes(value as string)) throw new ConfigError(`${path} must be one of both, up, down`);
  if (kindOf(like) === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (!(k in (like as object))) throw new ConfigError(`${path}.${k} is not a setting (known: ${Object.keys(like as object).join(', ')})`);
      checkLike(`${path}.${k}`, v, (like as Record<string, unknown>)[k]);
    }
  }
}

/** The parsed `--analysis-settings` value, checked; throws ConfigError naming what is wrong. */
export function checkAnalysisSettings(raw: unknown, name = '--analysis-settings'): Partial<AnalysisSettings> {
  if (kindOf(raw) !== 'object') throw new ConfigError(`${name} must be a JSON object`);
  const known = { ...DEFAULT_SETTINGS, rules: undefined } as Record<string, unknown>;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const path = `${name}: ${k}`;
    if (!(k in known)) throw new ConfigError(`${path} is not an analysis setting`);
    if (!FREE.has(k)) checkLike(path, v, known[k]);
  }
  const r = raw as Record<string, unknown>;
  if (r.incidentSeverity !== undefined && !SEVERITIES.includes(r.incidentSeverity as string)) throw new ConfigError(`${name}: incidentSeverity must be one of ${SEVERITIES.join(', ')}`);
  if (r.memoryMetrics !== undefined && !(Array.isArray(r.memoryMetrics) && r.memoryMetrics.every((g) => typeof g === 'string'))) throw new ConfigError(`${name}: memoryMetrics must be an array of metric-name globs`);
  if (r.limits !== undefined && !(kindOf(r.limits) === 'object' && Object.values(r.limits as object).every((n) => typeof n === 'number' && Number.isFinite(n)))) throw new ConfigError(`${name}: limits must map metric-name globs to numbers`);
  if (r.webhooks !== undefined) {
    if (!Array.isArray(r.webhooks)) throw new ConfigError(`${name}: webhooks must be an array`);
    r.webhooks.forEach((w: unknown, i) => {
      const o = w as Record<string, unknown>;
      if (kindOf(w) !== 'object' || typeof o.url !== 'string' || !o.url) throw new ConfigError(`${name}: webhooks[${i}] needs a "url" string`);
      if (o.format !== undefined && o.format !== 'json' && o.format !== 'slack') throw new ConfigError(`${name}: webhooks[${i}].format must be json or slack`);
      if (o.minSeverity !== undefined && !SEVERITIES.includes(o.minSeverity as string)) throw new ConfigError(`${name}: webhooks[${i}].minSeverity must be one of ${SEVERITIES.join(', ')}`);
    });
  }
  return raw as Partial<AnalysisSettings>;
}
