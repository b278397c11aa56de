// Pure helpers for the alert indicator: the firing summary and which alerts still need
// their one notification. No vscode import.
import type { AlertView, Runbook } from '../../collector/analysis/types';
import { notificationText } from '../../collector/text/sinkText';
// The collector's glob (linear, no regex), so runbook patterns match the same way on both sides.
import { runbookServes } from '../../collector/analysis/runbooks/runbookMatch';

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

/** The runbooks whose `alerts:` patterns name the alert's rule. Only the rule id (from
 *  settings or `.vibewatch/alerts.json`) is matched: the rest of the alert's key is the subject,
 *  a route and service from telemetry, and telemetry never selects a runbook. */
export function runbooksFor(alert: Pick<AlertView, 'ruleId'>, runbooks: readonly Runbook[]): Runbook[] {
  return runbooks.filter((r) => runbookServes(r, alert.ruleId));
}

/** The notification of a critical alert: fixed text and the rule's title, escaped for
 *  notifications (no link, no codicon, one short line). Subject and numbers are not included:
 *  they come from telemetry. */
export function alertNotification(alert: Pick<AlertView, 'title'>): string {
  return `Vibewatch: critical alert firing — ${notificationText(alert.title, 100)}. See the Alerts view for the details.`;
}
