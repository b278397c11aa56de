// Webhook notifications for alert and incident changes. Contract: `notify` never blocks and
// never throws — it puts the delivery on a bounded queue (oldest dropped and counted when
// full); a single worker POSTs, retrying failures (network errors, 408/429/5xx) with
// exponential backoff and jitter up to `maxAttempts`.
import type { NotificationEvent, WebhookConfig } from './types';
import { SEVERITY_RANK } from '../shared/severity';
import { slackText } from '../../text/sinkText';

export interface NotifierOptions {
  webhooks: WebhookConfig[];
  maxQueue?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  log?: (message: string) => void;
}

export interface NotifierStats {
  queued: number;
  sent: number;
  failed: number;
  dropped: number;
  retries: number;
  lastError?: string;
}

interface Delivery {
  hook: WebhookConfig;
  body: string;
  attempt: number;
  notBefore: number;
}

function severityOf(e: NotificationEvent): 'info' | 'warning' | 'critical' {
  return 'alert' in e ? e.alert.severity : e.incident.severity;
}

/** The Slack mrkdwn line of an event. Every value in it (rule titles from workspace files,
 *  alert texts and subjects with routes and services from telemetry, incident titles and notes)
 *  goes through slackText, so none can add a link, a mention or `<!channel>`. */
export function eventText(e: NotificationEvent): string {
  const t = (v: unknown) => slackText(v);
  switch (e.type) {
    case 'alert.firing':
      return `:rotating_light: [${t(e.alert.severity)}] ${t(e.alert.title)} — ${t(e.alert.text)}`;
    case 'alert.resolved':
      return `:white_check_mark: Resolved: ${t(e.alert.title)} — ${t(e.alert.subject)}`;
    default:
      return `[incident #${e.incident.number} ${t(e.incident.state)}] ${t(e.incident.title)} — ${t(e.change)}`;
  }
}

export function webhookBody(hook: WebhookConfig, e: NotificationEvent, atMs: number): string {
  if (hook.format === 'slack') {
    const text = eventText(e);
    return JSON.stringify({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
  }
  // Generic JSON: the event as data. JSON.stringify is the escaping this sink needs; a
  // receiver that renders these strings must escape them for its own sink.
  return JSON.stringify({ source: 'vibewatch', atMs, ...e });
}

export class WebhookNotifier {
  private queue: Delivery[] = [];
  private running = false;
  private stopped = false;
  private wake?: () => void;
  private timer?: NodeJS.Timeout;
  private readonly idle: (() => void)[] = [];
  readonly stats: NotifierStats = { queued: 0, sent: 0, failed: 0, dropped: 0, retries: 0 };

  constructor(private o: NotifierOptions) {}

  setWebhooks(webhooks: WebhookConfig[]): void {
    this.o = { ...this.o, webhooks };
  }

  notify(e: NotificationEvent): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const hook of this.o.webhooks) {
      if (hook.events && !hook.events.includes(e.type)) continue;
      if (hook.minSeverity && SEVERITY_RANK[severityOf(e)] < SEVERITY_RANK[hook.minSeverity]) continue;
      if (this.queue.length >= (this.o.maxQueue ?? 100)) {
        this.queue.shift();
        this.stats.dropped++;
      }
      this.queue.push({ hook, body: webhookBody(hook, e, now), attempt: 0, notBefore: 0 });
      this.stats.queued++;
    }
    this.kick();
  }

  private kick(): void {
    if (this.wake) {
      const w = this.wake;
      this.wake = undefined;
      w();
    }
    if (!this.running && this.queue.length) {
      this.running = true;
      void this.loop();
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped && this.queue.length) {
      const now = Date.now();
      const idx = this.queue.findIndex((d) => d.notBefore <= now);
      if (idx < 0) {
        const next = Math.min(...this.queue.map((d) => d.notBefore));
        await new Promise<void>((r) => {
          this.wake = r;
          this.timer = setTimeout(r, Math.max(1, next - now));
        });
        clearTimeout(this.timer);
        this.wake = undefined;
        continue;
      }
      const [d] = this.queue.splice(idx, 1);
      await this.deliver(d);
    }
    this.running = false;
    if (!this.queue.length) for (const r of this.idle.splice(0)) r();
  }

  private async deliver(d: Delivery): Promise<void> {
    d.attempt++;
    let retryable = true;
    try {
      const res = await (this.o.fetchImpl ?? fetch)(d.hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'vibewatch-collector' },
        body: d.body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
      });
      await res.arrayBuffer();
      if (res.ok) {
        this.stats.sent++;
        return;
      }
      retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      this.stats.lastError = `${d.hook.url}: HTTP ${res.status}`;
    } catch (err) {
      this.stats.lastError = `${d.hook.url}: ${(err as Error).message}`;
    }
    if (retryable && d.attempt < (this.o.maxAttempts ?? 5)) {
      const base = (this.o.baseDelayMs ?? 500) * 2 ** (d.attempt - 1);
      d.notBefore = Date.now() + Math.min(this.o.maxDelayMs ?? 30_000, base * (0.8 + 0.4 * Math.random()));
      this.stats.retries++;
      this.queue.push(d);
    } else {
      this.stats.failed++;
      this.o.log?.(`webhook delivery failed after ${d.attempt} attempt(s): ${this.stats.lastError}`);
    }
  }

  /** Resolves when the queue is empty (deliveries done or given up). */
  drain(): Promise<void> {
    if (!this.running && !this.queue.length) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  /** Stops retrying; pending deliveries are dropped (and counted). Safe to call twice. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stats.dropped += this.queue.length;
    this.queue = [];
    this.kick();
    for (const r of this.idle.splice(0)) r();
  }
}
