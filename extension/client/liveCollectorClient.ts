// LiveCollectorClient: the extension's CollectorClient over collector/live/client.ts.
// It follows the supervisor: when the state becomes `running` it connects to that host/port
// (a new collector — another pid or port — replaces the old connection); while the
// collector is down the underlying LiveClient retries with backoff, so a restarted collector
// on the same port is picked up even before the supervisor notices. Every (re)connection
// re-registers the workspace folders and fires `onDidConnect`, so overlays refetch.
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import { LiveClient, LiveRequestError } from '../../collector/live/client';
import { secretFrom } from '../../collector/live/secretFile';
import type { Events, Method, Params, Result } from '../../collector/live/protocol';
import type { CollectorClient } from '../collectorClient';
import type { CollectorState } from '../collectorSupervisor';

/** The part of CollectorSupervisor this client needs (tests pass a fake or a second supervisor). */
export interface SupervisorLike {
  readonly state: CollectorState;
  readonly onDidChangeState: vscode.Event<CollectorState>;
}

export interface LiveCollectorClientOptions {
  log?: { info(m: string): void; warn(m: string): void };
  apiKey?: () => string | undefined;
  /** Workspace folders to register on each connection (default: the window's folders). */
  folders?: () => string[];
  pathMappings?: () => Record<string, string>;
  /** How long a request made while (re)connecting waits for the connection. Default 3 s. */
  connectWaitMs?: number;
}

export class LiveCollectorClient extends Disposable implements CollectorClient {
  private live: LiveClient | undefined;
  private target: string | undefined;
  private readonly changedEmitter = new vscode.EventEmitter<Events['changed']>();
  private readonly connectEmitter = new vscode.EventEmitter<void>();
  readonly onChanged = this.changedEmitter.event;
  readonly onDidConnect = this.connectEmitter.event;
  private disposed = false;
  /** Resolvers of requests waiting for a connection. */
  private waiters: (() => void)[] = [];

  constructor(supervisor: SupervisorLike, private readonly opts: LiveCollectorClientOptions = {}) {
    super();
    this.register(
      supervisor.onDidChangeState((s) => this.follow(s)),
      // Source mapping needs the current folders: re-register when they change.
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        if (this.live?.connected) void this.onOpen(this.live);
      }),
    );
    // Connecting builds a socket (~20 ms the first time): not inside activate()'s synchronous part.
    setImmediate(() => this.follow(supervisor.state));
  }

  get connected(): boolean {
    return this.live?.connected ?? false;
  }

  private follow(s: CollectorState): void {
    if (this.disposed || s.kind !== 'running') return;
    const target = `${s.host}:${s.port}#${s.health.pid}@${s.storage}`;
    if (target === this.target && this.live) {
      if (!this.live.connected) this.live.connect().catch((e: Error) => this.opts.log?.warn(`live: ${e.message}`));
      return;
    }
    this.target = target;
    this.live?.dispose();
    // The secret is reread at every reconnect: a collector restarted on the port has a new one.
    const live = new LiveClient({ host: s.host, port: s.port, apiKey: this.opts.apiKey?.() || undefined, secret: secretFrom(s.storage), reconnect: true, maxBackoffMs: 2000 });
    this.live = live;
    live.on('open', () => void this.onOpen(live));
    live.on('close', () => this.opts.log?.info('live: connection to the collector closed; retrying'));
    live.on('changed', (data) => this.changedEmitter.fire(data));
    live.connect().catch((e: Error) => this.opts.log?.warn(`live: ${e.message}`));
  }

  private async onOpen(live: LiveClient): Promise<void> {
    if (live !== this.live) return;
    this.opts.log?.info(`live: connected to ${live.url}`);
    const folders = this.opts.folders?.() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    try {
      if (folders.length) await live.request('registerWorkspace', { folders, pathMappings: this.opts.pathMappings?.() });
    } catch (err) {
      this.opts.log?.warn(`live: registerWorkspace failed: ${(err as Error).message}`);
    }
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
    this.connectEmitter.fire();
  }

  async request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.connected) await this.waitForConnection();
    const live = this.live;
    if (!live?.connected) throw new LiveRequestError('disconnected', 'not connected to the Vibewatch collector');
    return live.request(method, params);
  }

  /** LiveClient-style subscription (so this client also serves extension/panels/liveAdapter.ts `LiveLike`). */
  on(event: 'changed', cb: (data: Events['changed']) => void): () => void {
    const d = this.onChanged(cb);
    return () => d.dispose();
  }

  private waitForConnection(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.opts.connectWaitMs ?? 3000);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.waiters = self.waiters.filter((w) => w !== done);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  override dispose(): void {
    this.disposed = true;
    super.dispose();
    this.live?.dispose();
    this.live = undefined;
    for (const w of this.waiters) w();
    this.waiters = [];
    this.changedEmitter.dispose();
    this.connectEmitter.dispose();
  }
}
