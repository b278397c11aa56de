// How bad an alert, an incident or a notification threshold is.
export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
