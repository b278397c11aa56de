// LiveClient: the one client of the live protocol (used by the extension, the CLI and
// tests). Plain Node `ws`, no vscode import. Requests are typed by protocol.ts `Methods`;
// each has a timeout. With `reconnect`, a dropped connection is retried with exponential
// backoff (pending requests fail at once; the `open` event fires on every (re)connect so
// callers can re-register their workspace).
// Authentication (live/auth.ts): every connection sends a fresh token made from the
// collector's secret, and is dropped unless the 101 response proves the collector holds the
// same secret, so a foreign process on the port is neither trusted nor sent anything usable.
import WebSocket from 'ws';
import { AUTH_HEADER, checkCollectorProof, clientToken, NONCE_HEADER, newNonce, PROOF_HEADER } from './auth';
import { isEvent, isResponse, LIVE_PATH, type EventName, type Events, type Method, type Params, type Result } from './protocol';

export interface LiveClientOptions {
  host?: string;
  port?: number;
  /** A team collector's address (http(s)://host[:port][/prefix] or ws(s)://…), instead of
   *  host and port: https means wss (TLS, e.g. at a reverse proxy). */
  url?: string;
  /** The API key: sent as `x-vibewatch-key`. With `url` and no secret, it is the team token
   *  that makes this a (read-only) team client. */
  apiKey?: string;
  /** The collector's secret, or a function read at every (re)connect (a restarted collector
   *  has a new one): e.g. `() => secretOf(storage)`. Without it /live refuses the client. */
  secret?: string | (() => string | undefined);
  /** Per-request timeout. Default 10 s. */
  requestTimeoutMs?: number;
  /** Connect timeout. Default 3 s. */
  connectTimeoutMs?: number;
  reconnect?: boolean;
  /** Backoff bounds for reconnects. Defaults 250 ms .. 10 s. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class LiveRequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** The collector refused us, or the process on the port could not prove it is our collector. */
export class LiveAuthError extends Error {}

type Listener = (data: unknown) => void;
type ClientEvent = EventName | 'open' | 'close';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class LiveClient {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<ClientEvent, Set<Listener>>();
  private disposed = false;
  private backoff: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  readonly url: string;

  constructor(private readonly opts: LiveClientOptions = {}) {
    const host = opts.host ?? '127.0.0.1';
    this.url = opts.url ? liveUrlOf(opts.url) : `ws://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${opts.port ?? 4318}${LIVE_PATH}`;
    this.backoff = opts.minBackoffMs ?? 250;
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Resolves once connected; rejects when nothing answers (unless reconnecting). */
  connect(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('LiveClient is disposed'));
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const headers: Record<string, string> = this.opts.apiKey ? { 'x-vibewatch-key': this.opts.apiKey } : {};
      const port = this.opts.port ?? 4318;
      const secret = typeof this.opts.secret === 'function' ? this.opts.secret() : this.opts.secret;
      const nonce = newNonce();
      if (secret) {
        headers[AUTH_HEADER] = clientToken(secret, port);
        headers[NONCE_HEADER] = nonce;
      }
      const ws = new WebSocket(this.url, { headers, handshakeTimeout: this.opts.connectTimeoutMs ?? 3000 });
      this.ws = ws;
      let opened = false;
      let failure: Error | undefined;
      ws.on('upgrade', (res) => {
        const proof = res.headers[PROOF_HEADER];
        if (secret && !checkCollectorProof(typeof proof === 'string' ? proof : undefined, secret, port, nonce)) {
          // ws checks the state after this event: terminating here means `open` never fires.
          failure = new LiveAuthError(`the process at ${this.url} accepted the connection but did not prove it holds the collector secret; not trusted`);
          ws.terminate();
        }
      });
      ws.on('unexpected-response', (req, res) => {
        const chunks: Buffer[] = [];
        let settled = false;
        const done = () => {
          if (settled) return;
          settled = true;
          const reason = Buffer.concat(chunks).toString('utf8').slice(0, 200);
          failure = new LiveAuthError(`the collector at ${this.url} refused the live connection: HTTP ${res.statusCode}${reason ? ` (${reason})` : ''}${secret || this.opts.apiKey ? '' : '; no collector secret was given'}`);
          ws.terminate();
        };
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', done);
        res.on('error', done);
        setTimeout(() => { req.destroy(); done(); }, 500).unref();
      });
      ws.on('open', () => {
        opened = true;
        this.backoff = this.opts.minBackoffMs ?? 250;
        resolve();
        this.fire('open', undefined);
      });
      ws.on('message', (raw) => this.onMessage(raw.toString()));
      ws.on('error', (err) => {
        if (!opened) reject(failure ?? new Error(`no Vibewatch collector answers at ${this.url}: ${err.message}`));
      });
      ws.on('close', () => {
        if (this.ws === ws) this.ws = undefined;
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new LiveRequestError('disconnected', 'connection to the collector closed'));
          this.pending.delete(id);
        }
        if (!opened) reject(failure ?? new Error(`no Vibewatch collector answers at ${this.url}`));
        else this.fire('close', undefined);
        this.scheduleReconnect();
      });
    });
  }

  private scheduleReconnect(): void {
    if (this.disposed || !this.opts.reconnect || this.reconnectTimer) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      // A failed attempt closes the socket, which schedules the next one.
      this.connect().catch(() => undefined);
    }, delay);
  }

  request<M extends Method>(method: M, params: Params<M>, timeoutMs = this.opts.requestTimeoutMs ?? 10_000): Promise<Result<M>> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new LiveRequestError('disconnected', 'not connected to the collector'));
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new LiveRequestError('timeout', `${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Subscribes to a pushed event (or to `open`/`close` of the connection); returns an unsubscribe function. */
  on<E extends EventName>(event: E, cb: (data: Events[E]) => void): () => void;
  on(event: 'open' | 'close', cb: () => void): () => void;
  on(event: ClientEvent, cb: (data: never) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(cb as Listener);
    return () => set!.delete(cb as Listener);
  }

  private fire(event: ClientEvent, data: unknown): void {
    for (const cb of this.listeners.get(event) ?? []) cb(data);
  }

  private onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (err) {
      this.ws?.close(1002, `malformed message: ${(err as Error).message}`);
      return;
    }
    if (isResponse(msg)) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if ('error' in msg) p.reject(new LiveRequestError(msg.error.code, msg.error.message));
      else p.resolve(msg.result);
    } else if (isEvent(msg)) this.fire(msg.event, msg.data);
  }

  dispose(): void {
    this.disposed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.ws?.close(1000);
    this.ws = undefined;
    this.listeners.clear();
  }
}

/** The /live WebSocket URL of a collector address: http→ws, https→wss, path prefix kept. */
export function liveUrlOf(address: string): string {
  const u = new URL(address);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error(`${address} is not an http(s) or ws(s) address`);
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/\/live$/, '') + LIVE_PATH;
  u.search = '';
  u.hash = '';
  return u.toString();
}
