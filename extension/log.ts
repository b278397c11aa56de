// The `Vibewatch` output channel: one line per event of interest, with a timestamp.
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Vibewatch', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }
  warn(message: string): void {
    this.channel.warn(message);
  }
  error(message: string, err?: unknown): void {
    this.channel.error(err === undefined ? message : `${message}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
