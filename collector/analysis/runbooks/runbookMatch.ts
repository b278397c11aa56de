// Which runbooks serve an alert: the one rule the collector (incidents, `runbooks` method) and
// the extension (the notification's "Run runbook") both apply. Pure, browser-safe.
// Only the rule id is matched against a runbook's `alerts:` patterns: the rest of an alert's
// key (route, service) comes from telemetry, and telemetry never selects a runbook.
import { globMatch } from '../shared/glob';

export function runbookServes(rb: { readonly alerts: readonly string[] }, ruleId: string): boolean {
  return rb.alerts.some((g) => globMatch(g, ruleId));
}
