// The live endpoint: a `ws` WebSocketServer on the collector's HTTP server at LIVE_PATH.
// Requests are answered from the merged handler table; `changed` events are coalesced and
// sent at most once per `batchMs`. Each client has a bounded queue of unsent events: when
// the socket is slow and the queue is full, the oldest events are dropped and the next
// one carries `resync: true` so the client refetches instead of the server growing memory.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HandlerContext, HandlerTable } from './handlers';
import { LiveError } from './handlers';
import { EVENT_BATCH_MS, LIVE_PATH, type ChangeTopic, type EventMessage, type Events, type Health, type Method } from './protocol';

export const MAX_FILES_PER_EVENT = 1000;

/** A change to tell clients about: files and topics with new data, or `resync`. */
export interface LiveChange {
  files?: Iterable<string>;
  topics?: Iterable<ChangeTopic>;
  resync?: boolean;
}

export interface LiveServerOptions {
  handlers: HandlerTable;
  health: () => Health;
  /** Decides whether an upgrade request may connect (the collector's access rules); default: all.
   *  `false` refuses with 401; `{ status, reason }` refuses saying why; `{ only }` accepts a
   *  client that may call only those methods (others answer `forbidden`). */
  authorize?: (req: IncomingMessage) => boolean | { status: number; reason: string } | { only: readonly Method[] };
  /** Headers added to the 101 response of an accepted upgrade (the collector's proof). */
  upgradeHeaders?: (req: IncomingMessage) => Record<string, string>;
  /** Called when a client goes away (e.g. to drop its workspace registration). */
  onDisconnect?: (clientId: number) => void;
  batchMs?: number;
  /** Unsent events kept per client before dropping the oldest. Default 64. */
  maxQueuedEvents?: number;
  /** Socket bytes buffered before events wait in the queue. Default 1 MiB. */
  maxBufferedBytes?: number;
}

interface Client {
  id: number;
  ws: WebSocket;
  queue: EventMessage[];
  resync: boolean;
  /** The methods this client may call; all when undefined. */
  only?: ReadonlySet<string>;
}

export class LiveServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly clients = new Map<number, Client>();
  private nextId = 1;
  private pending: { files: Set<string>; topics: Set<ChangeTopic>; resync?: boolean } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Events dropped for slow clients since start. */
  droppedEvents = 0;

  constructor(private readonly opts: LiveServerOptions) {
    this.wss.on('connection', (ws: WebSocket, _req: IncomingMessage, only?: readonly Method[]) => this.onConnection(ws, only));
    this.wss.on('headers', (headers: string[], req: IncomingMessage) => {
      for (const [k, v] of Object.entries(this.opts.upgradeHeaders?.(req) ?? {})) headers.push(`${k}: ${v}`);
    });
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Handles `upgrade` on LIVE_PATH of `server`; other upgrade paths are refused. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (this.closed || path !== LIVE_PATH) return refuse(socket, 404, 'Not Found');
      const verdict = this.opts.authorize?.(req) ?? true;
      if (verdict === false) return refuse(socket, 401, 'Unauthorized');
      if (verdict !== true && 'status' in verdict) return refuse(socket, verdict.status, verdict.status === 403 ? 'Forbidden' : 'Unauthorized', verdict.reason);
      const only = verdict === true ? undefined : verdict.only;
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req, only));
    });
  }

  /** Changes how many bytes may sit in a socket's buffer before events queue up (e.g. to throttle clients under load). */
  setMaxBufferedBytes(bytes: number): void {
    this.opts.maxBufferedBytes = bytes;
    for (const c of this.clients.values()) this.pump(c);
  }

  /** Records new data; clients get one coalesced `changed` event per batch interval. */
  /** `resync`: the change cannot be listed (Clear Data): every client refetches everything. */
  noteChanged(change: LiveChange): void {
    if (this.closed) return;
    const p = (this.pending ??= { files: new Set(), topics: new Set() });
    if (change.resync) p.resync = true;
    for (const f of change.files ?? []) p.files.add(f);
    for (const t of change.topics ?? []) p.topics.add(t);
    this.timer ??= setTimeout(() => this.flush(), this.opts.batchMs ?? EVENT_BATCH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    const data: Events['changed'] = { files: [...p.files].sort(), topics: [...p.topics].sort() };
    // Too many files to list usefully in one event: say "refetch" instead of sending them all.
    if (p.resync || data.files.length > MAX_FILES_PER_EVENT) {
      data.files = [];
      data.resync = true;
    }
    for (const c of this.clients.values()) this.enqueue(c, { event: 'changed', data });
  }

  private enqueue(c: Client, ev: EventMessage): void {
    c.queue.push(ev);
    const max = this.opts.maxQueuedEvents ?? 64;
    while (c.queue.length > max) {
      c.queue.shift();
      c.resync = true;
      this.droppedEvents++;
    }
    this.pump(c);
  }

  private pump(c: Client): void {
    const maxBuffered = this.opts.maxBufferedBytes ?? 1024 * 1024;
    while (c.queue.length && c.ws.readyState === c.ws.OPEN && c.ws.bufferedAmount < maxBuffered) {
      const ev = c.queue.shift()!;
      if (c.resync && ev.event === 'changed') {
        ev.data = { ...(ev.data as Events['changed']), resync: true };
        c.resync = false;
      }
      c.ws.send(JSON.stringify(ev), () => this.pump(c));
    }
  }

  private onConnection(ws: WebSocket, only?: readonly Method[]): void {
    const c: Client = { id: this.nextId++, ws, queue: [], resync: false, ...(only ? { only: new Set(only) } : {}) };
    this.clients.set(c.id, c);
    ws.on('message', (raw) => void this.onMessage(c, raw.toString()));
    ws.on('close', () => {
      this.clients.delete(c.id);
      this.opts.onDisconnect?.(c.id);
    });
    ws.on('error', () => ws.terminate());
    ws.send(JSON.stringify({ event: 'hello', data: this.opts.health() } satisfies EventMessage<'hello'>));
  }

  private async onMessage(c: Client, text: string): Promise<void> {
    let msg: { id?: unknown; method?: unknown; params?: unknown };
    try {
      msg = JSON.parse(text);
    } catch (err) {
      return this.reply(c, { id: -1, error: { code: 'bad_request', message: `malformed JSON: ${(err as Error).message}` } });
    }
    const id = typeof msg?.id === 'number' ? msg.id : -1;
    if (id < 0 || typeof msg.method !== 'string') return this.reply(c, { id, error: { code: 'bad_request', message: 'a request needs a numeric id and a method' } });
    const handler = (this.opts.handlers as Record<string, ((p: unknown, ctx: HandlerContext) => unknown) | undefined>)[msg.method];
    if (!handler || !Object.prototype.hasOwnProperty.call(this.opts.handlers, msg.method)) {
      return this.reply(c, { id, error: { code: 'unknown_method', message: `unknown method ${JSON.stringify(msg.method)}` } });
    }
    if (c.only && !c.only.has(msg.method)) return this.reply(c, { id, error: { code: 'forbidden', message: `${msg.method} is not open to team clients (read-only)` } });
    try {
      const result = await handler((msg.params ?? {}) as never, { clientId: c.id });
      this.reply(c, { id, result });
    } catch (err) {
      const code = err instanceof LiveError ? err.code : 'internal';
      this.reply(c, { id, error: { code, message: err instanceof Error ? err.message : String(err) } });
    }
  }

  private reply(c: Client, msg: unknown): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(JSON.stringify(msg, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.flush();
    for (const c of this.clients.values()) c.ws.close(1001, 'collector shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    for (const c of this.clients.values()) c.ws.terminate();
  }
}

/** Ends a refused upgrade with a status line and, when given, a one-line plain-text reason. */
function refuse(socket: Duplex, status: number, text: string, reason = ''): void {
  const body = reason.replace(/[^\x20-\x7e]/g, '?');
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** Merges handler tables: components may override a base handler, but two may not claim the same method. */
export function mergeHandlers(base: HandlerTable, tables: HandlerTable[]): HandlerTable {
  const out: HandlerTable = { ...base };
  const claimed = new Set<string>();
  for (const t of tables) {
    for (const m of Object.keys(t) as Method[]) {
      if (claimed.has(m)) throw new Error(`two handler tables define the live method ${m}`);
      claimed.add(m);
      (out as Record<string, unknown>)[m] = t[m];
    }
  }
  return out;
}
