// Webhook configuration and the events sent to webhooks.
import type { Severity } from '../shared/severity';
import type { AlertView } from '../alerts/types';
import type { IncidentView } from '../incidents/types';

export interface WebhookConfig {
  url: string;
  /** `json` (our own body) or `slack` (a Slack incoming-webhook compatible `{ text, blocks }`). */
  format?: 'json' | 'slack';
  /** Which events; default all. */
  events?: NotificationEvent['type'][];
  minSeverity?: Severity;
}

export type NotificationEvent =
  | { type: 'alert.firing' | 'alert.resolved'; alert: AlertView }
  | { type: 'incident.opened' | 'incident.updated' | 'incident.resolved'; incident: IncidentView; change: string };
