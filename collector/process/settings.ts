// Component settings read from the collector's configuration (flags the extension passes,
// see extension/collectorSupervisor.ts). Validated once at start: a bad value throws, and
// the process exits 2 naming the setting.
import type { CollectorConfig } from '../config';
import type { AnalysisSettings } from '../analysis/settings';
import type { Severity } from '../analysis/types';
import type { AiPatternSpec } from '../git/patterns';

/** Settings the extension passes on the command line (see extension/collectorSupervisor.ts). */
export function analysisSettings(config: CollectorConfig): Partial<AnalysisSettings> {
  const f = config.flags;
  const num = (k: string) => (typeof f[k] === 'string' && Number.isFinite(Number(f[k])) ? Number(f[k]) : undefined);
  let out: Partial<AnalysisSettings> = {};
  // `--analysis-settings JSON`: any AnalysisSettings fields (the demo shortens the trend
  // window so its memory alert fires within minutes instead of a quarter of an hour).
  if (typeof f['analysis-settings'] === 'string') {
    try {
      out = JSON.parse(f['analysis-settings']) as Partial<AnalysisSettings>;
    } catch (err) {
      throw new Error(`--analysis-settings must be JSON: ${(err as Error).message}`);
    }
  }
  const slow = num('slow-query-ms');
  if (slow !== undefined) out.slowQueryMs = slow;
  const n1 = num('n-plus-one');
  if (n1 !== undefined) out.nPlusOneMin = n1;
  if (typeof f['webhook'] === 'string' && f['webhook']) out.webhooks = [{ url: f['webhook'], format: f['webhook-slack'] ? 'slack' : 'json' }];
  // Opt-in: services seen only in telemetry become public status components.
  if (f['status-publish-services'] === true || f['status-publish-services'] === 'true') out.publishTelemetryServices = true;
  const sev = f['incident-severity'];
  if (sev === 'info' || sev === 'warning' || sev === 'critical') out.incidentSeverity = sev as Severity;
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
  const refresh = Number(config.flags['status-refresh-sec']);
  return Number.isFinite(refresh) && refresh >= 0 ? { title, refreshSec: refresh } : { title };
}
