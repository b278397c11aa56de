// Keeps the status-bar firing count in step with the collector's alerts and raises one
// notification per firing episode of a critical alert, with Acknowledge (the incident the
// alert opened) and Open Runbook (the runbooks that name the alert's rule).
// The notification carries fixed text and the rule's name only (alertNotification): the alert's
// text holds routes and service names from telemetry, and VS Code renders `[x](command:…)` in
// notifications as a live link. The details are in the Alerts view and panel.
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import type { AlertView } from '../../collector/analysis/types';
import type { CollectorClient } from '../collectorClient';
import { isUnknownMethod } from '../client/editorQueries';
import type { FiringSummary } from '../statusBar';
import { alertNotification, episodeKey, firingSummary, runbooksFor, toNotify } from './alertsModel';
import { plainText } from '../../collector/text/sinkText';
import { Coalescer } from '../coalescer';

const NOTIFIED_KEY = 'vibewatch.notifiedAlerts';

export interface AlertsDeps {
  client: CollectorClient;
  statusBar: { setFiring(f: FiringSummary): void };
  state: vscode.Memento;
  log?: { warn(m: string): void; info(m: string): void };
}

export class AlertsController extends Disposable {
  /** One refresh per burst of events, edits and polls. */
  private readonly refresher = new Coalescer(() => void this.refresh());
  private alertsValue: AlertView[] = [];
  private unsupported = false;
  private readonly pollTimer: NodeJS.Timeout;
  private readonly emitter = new vscode.EventEmitter<AlertView[]>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly d: AlertsDeps) {
    super();
    this.register(
      d.client.onDidConnect(() => {
        this.unsupported = false;
        this.schedule(0);
      }),
      d.client.onChanged((e) => {
        if (e.resync || e.topics.some((t) => t === 'alerts' || t === 'incidents')) this.schedule(250);
      }),
      this.emitter,
    );
    if (d.client.connected) this.schedule(0);
    // Alerts change with time alone (`for:` dwell, resolution): poll as a backstop to events.
    this.pollTimer = setInterval(() => {
      if (d.client.connected) this.schedule(0);
    }, 10_000);
  }

  /** Firing episodes notified in this session (tests read it). */
  readonly notifiedEpisodes: string[] = [];
  /** The notification texts shown in this session, as passed to VS Code (tests read them). */
  readonly notificationTexts: string[] = [];

  get alerts(): readonly AlertView[] {
    return this.alertsValue;
  }

  schedule(delayMs: number): void {
    this.refresher.schedule(delayMs);
  }

  async refresh(): Promise<void> {
    if (this.unsupported) return;
    try {
      this.alertsValue = await this.d.client.request('alerts', {});
    } catch (err) {
      if (isUnknownMethod(err)) {
        this.unsupported = true;
        this.d.log?.warn('the collector does not answer alerts yet; the status bar shows no firing count');
      } else this.d.log?.warn(`alerts failed: ${(err as Error).message}`);
      return;
    }
    this.d.statusBar.setFiring(firingSummary(this.alertsValue));
    this.emitter.fire(this.alertsValue);
    this.notify();
  }

  private notify(): void {
    const notified = new Set(this.d.state.get<string[]>(NOTIFIED_KEY, []));
    const fresh = toNotify(this.alertsValue, notified);
    if (!fresh.length) return;
    for (const a of fresh) notified.add(episodeKey(a));
    // Bounded: only the last 500 episodes are remembered.
    void this.d.state.update(NOTIFIED_KEY, [...notified].slice(-500));
    for (const a of fresh) {
      this.notifiedEpisodes.push(episodeKey(a));
      void this.showNotification(a);
    }
  }

  private async showNotification(a: AlertView): Promise<void> {
    this.d.log?.info(`critical alert firing: ${plainText(a.title)} — ${plainText(a.text, 500)}`);
    const message = alertNotification(a);
    this.notificationTexts.push(message);
    const choice = await vscode.window.showErrorMessage(message, 'Acknowledge', 'Open Runbook');
    if (choice === 'Acknowledge') {
      if (a.incidentId) await vscode.commands.executeCommand('vibewatch.acknowledgeIncident', a.incidentId);
      else void vscode.window.showInformationMessage('This alert has not opened an incident; nothing to acknowledge.');
    } else if (choice === 'Open Runbook') {
      let ids: string[] = [];
      try {
        ids = runbooksFor(a, await this.d.client.request('runbooks', {})).map((r) => r.id);
      } catch (err) {
        this.d.log?.warn(`runbooks failed: ${(err as Error).message}`);
      }
      // The rule picks the runbook (runbooksFor ignores the telemetry part of the key).
      await vscode.commands.executeCommand('vibewatch.runRunbook', ids.length === 1 ? ids[0] : undefined, a.incidentId);
    }
  }

  override dispose(): void {
    this.refresher.dispose();
    clearInterval(this.pollTimer);
    super.dispose();
  }
}
