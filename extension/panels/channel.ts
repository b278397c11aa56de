// The extension side of webview/protocol.ts for one panel: validates what the panel posts,
// answers requests through the data client, holds pushes until the panel is `ready`.
// No vscode import: the panel host wires `post` to webview.postMessage.
import type { ChangeTopic, HostToPanel, OpenLocation, PanelFocus, PanelMethod, PanelName, PanelParams, PanelResult } from '../../webview/protocol';
import { isPanelToHost } from '../../webview/protocol';

export interface Disposable { dispose(): void }

/** What panels need from the collector. The live client (collector/live/client.ts) is
 *  adapted to this by the caller of `registerPanels`; tests pass a fake. */
export interface PanelDataClient {
  request<M extends PanelMethod>(method: M, params: PanelParams<M>): Promise<PanelResult<M>>;
  /** New data or analysis state, by topic ('spans', 'errors'…); an empty list: refetch everything. */
  onChanged(cb: (topics: ChangeTopic[]) => void): Disposable;
  /** Workspace files touched by AI diffs (for the "touches an AI diff" trace filter). */
  aiDiffFiles?(): Promise<string[]>;
}

export interface PanelActions {
  openSource(location: OpenLocation): void | Promise<void>;
  runRunbook(runbookId: string, incidentId?: string): void | Promise<void>;
  showPanel(panel: PanelName, focus: PanelFocus): void;
  /** Reports a message the panel should not have sent, or a failed action (logged by the caller). */
  warn(message: string): void;
}

export class PanelChannel {
  private ready = false;
  private queue: HostToPanel[] = [];
  /** Malformed messages received from the webview (counted; the panel is untrusted). */
  rejected = 0;

  constructor(
    readonly panel: PanelName,
    private readonly post: (m: HostToPanel) => unknown,
    private readonly client: PanelDataClient,
    private readonly actions: PanelActions,
  ) {}

  /** The webview was (re)loaded: hold pushes until it says `ready` again. */
  reset(): void {
    this.ready = false;
  }

  push(message: HostToPanel): void {
    if (this.ready) this.post(message);
    else if (message.type === 'changed') {
      // One pending `changed` is as good as many.
      if (!this.queue.some((m) => m.type === 'changed')) this.queue.push(message);
    } else this.queue.push(message);
  }

  show(focus: PanelFocus): void {
    this.push({ type: 'show', focus });
  }

  async receive(raw: unknown): Promise<void> {
    if (!isPanelToHost(raw)) {
      this.rejected++;
      this.actions.warn(`panel ${this.panel}: ignored a malformed message`);
      return;
    }
    const m = raw;
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.queue;
        this.queue = [];
        for (const q of queued) this.post(q);
        return;
      }
      case 'request': {
        try {
          let params = m.params as PanelParams<PanelMethod>;
          if (m.method === 'traces' && (params as PanelParams<'traces'>).aiOnly) params = await this.aiFilter(params as PanelParams<'traces'>);
          const result = await this.client.request(m.method, params as never);
          this.post({ type: 'response', id: m.id, result });
        } catch (e) {
          this.post({ type: 'failure', id: m.id, message: e instanceof Error ? e.message : String(e) });
        }
        return;
      }
      case 'openSource':
        await this.safely(() => this.actions.openSource(m.location), 'open source');
        return;
      case 'runRunbook':
        await this.safely(() => this.actions.runRunbook(m.runbookId, m.incidentId), 'run runbook');
        return;
      case 'showPanel':
        await this.safely(() => this.actions.showPanel(m.panel, m.focus), 'show panel');
        return;
    }
  }

  private async aiFilter(params: PanelParams<'traces'>): Promise<PanelParams<'traces'>> {
    const files = this.client.aiDiffFiles ? await this.client.aiDiffFiles() : [];
    const { aiOnly: _drop, ...rest } = params;
    // No AI-diff files known: an impossible file keeps the filter honest (empty result).
    return { ...rest, files: files.length ? files : ['\0no-ai-diff-files'] };
  }

  private async safely(fn: () => void | Promise<void>, what: string): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.actions.warn(`panel ${this.panel}: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
