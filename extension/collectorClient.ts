// What every part of the extension uses to talk to the collector: typed requests of the
// live protocol and its change events. The implementation (LiveCollectorClient, wrapping
// collector/live/client.ts) reconnects when the supervisor reports a new collector.
import type * as vscode from 'vscode';
import type { Events, Method, Params, Result } from '../collector/live/protocol';

export interface CollectorClient {
  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>;
  /** New data or state in the collector (batched by the collector, ≤ 4 per second). */
  readonly onChanged: vscode.Event<Events['changed']>;
  /** Fires after each (re)connection, so views refetch everything. */
  readonly onDidConnect: vscode.Event<void>;
  readonly connected: boolean;
}
