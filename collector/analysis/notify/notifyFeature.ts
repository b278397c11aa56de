// Webhooks as a feature: alert transitions and incident changes go to the configured
// webhooks (notify.ts: bodies, retries). Keeps no state; without webhooks it sends nothing.
import type { AnalysisFeature } from '../feature';
import type { AlertListener } from '../alerts/alertsFeature';
import type { AlertView } from '../alerts/types';
import type { WebhookNotifier } from './notify';
import type { NotificationEvent } from './types';

export class NotifyFeature implements AnalysisFeature, AlertListener {
  readonly name = 'notify';
  readonly topics = [] as const;

  constructor(private readonly notifier?: WebhookNotifier) {}

  notify(e: NotificationEvent): void {
    this.notifier?.notify(e);
  }

  fired(alert: AlertView): void {
    this.notify({ type: 'alert.firing', alert });
  }

  resolved(alert: AlertView): void {
    this.notify({ type: 'alert.resolved', alert });
  }

  reset(): void {}

  /** Stops retries of undelivered webhooks. */
  async shutdown(): Promise<void> {
    await this.notifier?.shutdown();
  }
}
