// Component settings read from the collector's configuration (flags the extension passes,
// see extension/collectorSupervisor.ts). Validated once at start: a bad value throws, and
// the process exits 2 naming the setting.
import { ConfigError, type CollectorConfig } from '../config';
import type { AnalysisSettings } from '../analysis/settings';
import type { Severity } from '../analysis/types';
import type { AiPatternSpec } from '../git/patterns';
import { checkAnalysisSettings } from './analysisSettingsCheck';

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

/** Settings the extension passes on the command line (see extension/collectorSupervisor.ts). */
export function analysisSettings(config: CollectorConfig): Partial<AnalysisSettings> {
  const f = config.flags;
  const num = (k: string, setting: string) => {
    if (f[k] === undefined) return undefined;
    const n = Number(f[k]);
    if (f[k] === true || f[k] === '' || !Number.isFinite(n) || n < 0) throw new ConfigError(`--${k} (setting ${setting}) must be a number >= 0, not ${JSON.stringify(f[k])}`);
    return n;
  };
  let out: Partial<AnalysisSettings> = {};
  // `--analysis-settings JSON`: any AnalysisSettings fields (the demo shortens the trend
  // window so its memory alert fires within minutes instead of a quarter of an hour).
  if (typeof f['analysis-settings'] === 'string') {
    let raw: unknown;
    try {
      raw = JSON.parse(f['analysis-settings']);
    } catch (err) {
      throw new ConfigError(`--analysis-settings must be JSON: ${(err as Error).message}`);
    }
    out = { ...checkAnalysisSettings(raw) };
  } else if (f['analysis-settings'] === true) throw new ConfigError('--analysis-settings needs a value: a JSON object');
  const slow = num('slow-query-ms', 'vibewatch.thresholds.slowQueryMs');
  if (slow !== undefined) out.slowQueryMs = slow;
  const n1 = num('n-plus-one', 'vibewatch.thresholds.nPlusOne');
  if (n1 !== undefined) out.nPlusOneMin = n1;
  if (typeof f['webhook'] === 'string' && f['webhook']) out.webhooks = [{ url: f['webhook'], format: f['webhook-slack'] ? 'slack' : 'json' }];
  // Opt-in: services seen only in telemetry become public status components.
  if (f['status-publish-services'] === true || f['status-publish-services'] === 'true') out.publishTelemetryServices = true;
  const sev = f['incident-severity'];
  if (sev !== undefined) {
    if (!SEVERITIES.includes(sev as Severity)) throw new ConfigError(`--incident-severity (setting vibewatch.incidents.minSeverity) must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(sev)}`);
    out.incidentSeverity = sev as Severity;
  }
  return out;
}

/** The extra AI patterns (config.aiPatterns, validated by configFrom): each regex is matched
 *  against the author and against Co-authored-by / Assisted-by / Generated-by. */
export function extraPatterns(patterns: readonly string[]): AiPatternSpec[] {
  return patterns.flatMap((re) => [
    { tool: 'custom', author: re },
    ...['Co-authored-by', 'Assisted-by', 'Generated-by'].map((trailer) => ({ tool: 'custom', trailer, value: re })),
  ]);
}

/** `--status-title` and `--status-refresh-sec` of the public status page. */
export function statusPageSettings(config: CollectorConfig): { title: string; refreshSec?: number } {
  // The page reads "<title> status"; `--status-title Shop` names the product.
  const title = typeof config.flags['status-title'] === 'string' ? config.flags['status-title'] : 'Service';
  const r = config.flags['status-refresh-sec'];
  if (r === undefined) return { title };
  const refresh = Number(r);
  if (r === true || r === '' || !Number.isFinite(refresh) || refresh < 0) throw new ConfigError(`--status-refresh-sec must be a number >= 0, not ${JSON.stringify(r)}`);
  return { title, refreshSec: refresh };
}

/** The team analysis on a shared store (process/teamAnalysis.ts): `--team-analysis-poll-ms`
 *  (how often the stored records are read, default 1000), `--team-analysis-lease-ms` (the
 *  lease's time to live, default 15000; a standby takes over within it),
 *  `--team-analysis-checkpoint-ms` (default 30000). */
export function teamAnalysisSettings(config: CollectorConfig): { pollMs?: number; leaseTtlMs?: number; leaseSettleMs?: number; checkpointMs?: number } {
  const f = config.flags;
  const msFlag = (k: string, min: number): number | undefined => {
    const v = f[k];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v === true || v === '' || !Number.isFinite(n) || n < min) throw new ConfigError(`--${k} must be a number of milliseconds >= ${min}, not ${JSON.stringify(v)}`);
    return n;
  };
  const leaseTtlMs = msFlag('team-analysis-lease-ms', 300);
  return {
    pollMs: msFlag('team-analysis-poll-ms', 10),
    leaseTtlMs,
    // The settle wait is a fraction of the lease: long enough for a competing claim to land.
    ...(leaseTtlMs !== undefined ? { leaseSettleMs: Math.min(1_000, Math.round(leaseTtlMs / 10)) } : {}),
    checkpointMs: msFlag('team-analysis-checkpoint-ms', 100),
  };
}
