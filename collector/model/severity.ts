// OpenTelemetry log severity numbers → their short names (1-4 TRACE … 21-24 FATAL), as the
// logs data model defines them. One table for the collector's aggregates and the panels.

/** The record's own severity text wins (upper-cased); otherwise the number's range name. */
export function severityName(n: number, text?: string): string {
  if (text) return text.toUpperCase();
  if (n >= 21) return 'FATAL';
  if (n >= 17) return 'ERROR';
  if (n >= 13) return 'WARN';
  if (n >= 9) return 'INFO';
  if (n >= 5) return 'DEBUG';
  return n >= 1 ? 'TRACE' : 'UNSPECIFIED';
}
