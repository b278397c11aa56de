// The panel side of webview/protocol.ts: one bus per panel page. Requests get ids and a
// promise; `changed` and `show` pushes go to subscribers. `acquireVsCodeApi` may be called
// once per page, so only this module calls it.
import type { ChangeTopic, HostToPanel, PanelFocus, PanelMethod, PanelName, PanelParams, PanelResult, PanelToHost } from '../protocol';
import { isHostToPanel } from '../protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export class PanelBus {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly changedListeners: ((topics: ChangeTopic[]) => void)[] = [];
  private readonly showListeners: ((focus: PanelFocus) => void)[] = [];
  /** Messages the host sent that did not match the protocol (counted, not thrown). */
  invalidMessages = 0;

  constructor(readonly panel: PanelName) {
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
  }

  /** Call after the UI exists: the host starts talking only after this. */
  ready(): void {
    this.post({ type: 'ready', panel: this.panel });
  }

  post(message: PanelToHost): void {
    this.api.postMessage(message);
  }

  request<M extends PanelMethod>(method: M, params: PanelParams<M>): Promise<PanelResult<M>> {
    const id = this.nextId++;
    return new Promise<PanelResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ type: 'request', id, method, params } as PanelToHost);
    });
  }

  onChanged(cb: (topics: ChangeTopic[]) => void): void {
    this.changedListeners.push(cb);
  }
  onShow(cb: (focus: PanelFocus) => void): void {
    this.showListeners.push(cb);
  }

  getState<T>(): T | undefined {
    return this.api.getState() as T | undefined;
  }
  setState(state: unknown): void {
    this.api.setState(state);
  }

  private receive(data: unknown): void {
    if (!isHostToPanel(data)) {
      this.invalidMessages++;
      return;
    }
    const m: HostToPanel = data;
    switch (m.type) {
      case 'response':
      case 'failure': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.type === 'response') p.resolve(m.result);
        else p.reject(new Error(m.message));
        return;
      }
      case 'changed':
        for (const cb of this.changedListeners) cb(m.topics);
        return;
      case 'show':
        for (const cb of this.showListeners) cb(m.focus);
        return;
    }
  }
}
