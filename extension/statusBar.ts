// The one status-bar item: `$(pulse) Vibewatch` when all is well, `$(alert) N firing` with a
// warning background when alerts fire, and the collector's trouble when it has any.
// Click opens the alerts panel (or the output when the collector is down).
import * as vscode from 'vscode';
import type { CollectorState } from './collectorSupervisor';
import { plainText } from '../collector/text/sinkText';

export interface FiringSummary {
  firing: number;
  critical: number;
}

export class StatusBarController implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('vibewatch.status', vscode.StatusBarAlignment.Left, 100);
  private collector: CollectorState = { kind: 'starting' };
  private firing: FiringSummary = { firing: 0, critical: 0 };

  constructor() {
    this.item.name = 'Vibewatch';
    this.render();
    this.item.show();
  }

  setCollectorState(s: CollectorState): void {
    this.collector = s;
    this.render();
  }

  setFiring(f: FiringSummary): void {
    this.firing = f;
    this.render();
  }

  /** What the item shows now (tests read it; the DOM shows the same). */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const s = this.collector;
    const item = this.item;
    item.backgroundColor = undefined;
    if (s.kind === 'running' && this.firing.firing > 0) {
      item.text = `$(alert) ${this.firing.firing} firing`;
      item.tooltip = `Vibewatch: ${this.firing.firing} alert(s) firing${this.firing.critical ? `, ${this.firing.critical} critical` : ''}. Click to open the alerts.`;
      item.backgroundColor = new vscode.ThemeColor(this.firing.critical ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
      item.command = 'vibewatch.openAlerts';
      return;
    }
    switch (s.kind) {
      case 'running':
        item.text = '$(pulse) Vibewatch';
        item.tooltip = `Vibewatch collector ${plainText(s.health.version, 40)} at ${plainText(s.host, 100)}:${s.port}${s.owned ? '' : ' (shared with another window)'} — no alerts firing`;
        item.command = 'vibewatch.openAlerts';
        break;
      case 'starting':
        item.text = '$(sync~spin) Vibewatch';
        item.tooltip = 'Vibewatch: starting the collector…';
        item.command = 'vibewatch.showOutput';
        break;
      case 'conflict':
        item.text = '$(warning) Vibewatch: port in use';
        item.tooltip = `Port ${s.port} is used by something that is not a Vibewatch collector: ${plainText(s.detail, 300)}`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        item.command = 'vibewatch.showOutput';
        break;
      case 'failed':
        item.text = '$(error) Vibewatch';
        item.tooltip = `Vibewatch collector failed: ${plainText(s.reason, 300)}`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        item.command = 'vibewatch.showOutput';
        break;
      case 'stopped':
        item.text = '$(circle-slash) Vibewatch';
        item.tooltip = `Vibewatch collector stopped${s.reason ? `: ${plainText(s.reason, 300)}` : ''}. Click to start it.`;
        item.command = 'vibewatch.startCollector';
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
