// Pure helpers for the alert indicator: the firing summary and which alerts still need
// their one notification. No vscode import.
import { globMatch as linearGlob } from '../../collector/analysis/glob';
import type { AlertView, Runbook } from '../../collector/analysis/types';

export function firingSummary(alerts: readonly AlertView[]): { firing: number; critical: number } {
  let firing = 0;
  let critical = 0;
  for (const a of alerts) {
    if (a.state !== 'firing') continue;
    firing++;
    if (a.severity === 'critical') critical++;
  }
  return { firing, critical };
}

/** Identity of one firing episode: the same alert firing again later notifies again. */
export const episodeKey = (a: AlertView) => `${a.key}@${a.firingSinceMs ?? a.pendingSinceMs}`;

/** Critical firing alerts whose episode has not been notified yet. */
export function toNotify(alerts: readonly AlertView[], notified: ReadonlySet<string>): AlertView[] {
  return alerts.filter((a) => a.state === 'firing' && a.severity === 'critical' && !notified.has(episodeKey(a)));
}

/** `*` in a runbook's alert pattern matches any run of characters, `?` one; matched without
 *  a regex (the pattern is a workspace file, the value carries a telemetry route). */
export function globMatch(pattern: string, value: string): boolean {
  return linearGlob(pattern, value);
}

export function runbooksFor(alert: Pick<AlertView, 'ruleId' | 'key'>, runbooks: readonly Runbook[]): Runbook[] {
  return runbooks.filter((r) => r.alerts.some((p) => globMatch(p, alert.ruleId) || globMatch(p, alert.key)));
}
