// Runbooks read from the workspace (`.vibewatch/runbooks/*.md`).
export type RunbookStep =
  | { kind: 'shell'; command: string; lang: string }
  | { kind: 'command'; command: string; args?: unknown; title?: string }
  | { kind: 'link'; url: string; title?: string }
  | { kind: 'text'; text: string };

export interface Runbook {
  id: string;
  title: string;
  /** Rule ids or globs this runbook serves. */
  alerts: string[];
  file: string;
  steps: RunbookStep[];
}
