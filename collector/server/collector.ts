// createCollector: the HTTP server (OTLP receiver, /health, mounted GET routes, the live
// WebSocket) wired to processors and a store.
// Batch flow: decode → processors in order (each counted) → store.consume → 200.
// The OTLP/gRPC receiver (grpcReceiver.ts, its own port) goes through the same gate.
// A processor that throws is counted and reported through `onEvent`, and the batch still
// goes to the store: analysis is best-effort, keeping acknowledged data is not.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateConfig, type CollectorConfig } from '../config';
import { baseHandlers } from '../live/baseHandlers';
import type { HandlerTable } from '../live/handlers';
import { HEALTH_PATH, PROTOCOL_VERSION, TEAM_METHODS, type Health, type Stats } from '../live/protocol';
import { LiveServer, mergeHandlers } from '../live/server';
import { WorkspaceRegistry } from '../live/workspaceRegistry';
import type { SignalTopic } from '../model/changeTopics';
import type { TelemetryBatch } from '../model/types';
import { countedProcessor, type Lifecycle, type Processor, type StageCounters } from '../pipeline';
import type { TelemetryStore } from '../store/api';
import { generateSecret, NonceLedger, PROOF_HEADER } from '../live/auth';
import { writeSecretFile } from '../live/secretFile';
import { apiKeyAccepted, hostAllowed, liveUpgradeVerdict, proofFor, requiresApiKey } from './access';
import { GrpcReceiver } from './grpcReceiver';
import { applyCors, HttpError } from './httpUtil';
import { handleOtlp, OTLP_PATHS, send, type IngestGate } from './otlpRoute';
import { COLLECTOR_VERSION } from './version';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => unknown;
export interface Route {
  /** Matches the path itself, `prefix.ext` and anything under `prefix/` ('/status' serves
   *  /status, /status.json and /status/feed.atom). */
  prefix: string;
  handler: RouteHandler;
  /** Served without the API key in remote mode (the public status page). */
  public?: boolean;
}

/** One line of structured log; the process prints these as JSON. */
export interface CollectorEvent {
  event: string;
  [key: string]: unknown;
}

export interface CollectorParts {
  store: TelemetryStore;
  processors?: (Processor | { name: string; fn: Processor })[];
  handlers?: HandlerTable[];
  routes?: Route[];
  /** Called after a batch is durable (e.g. analysis that wants every batch). */
  onBatch?: (batch: TelemetryBatch) => void;
  /** Run at shutdown after ingest stopped and before the store closes (flush analysis state with putState). */
  onShutdown?: (() => Promise<void> | void)[];
  /** Run once the store is open and before ingest is admitted: parts that keep state in the
   *  store (analysis, per-revision latency) load it here, so no batch is seen before it. */
  onStoreStarted?: (() => Promise<void> | void)[];
  onEvent?: (e: CollectorEvent) => void;
  workspaces?: WorkspaceRegistry;
}

export interface Collector extends Lifecycle {
  /** The per-collector secret /live requires (also in `<storage>/collector.secret` once
   *  started). For the in-process creator, e.g. a test that connects a LiveClient. */
  readonly secret: string;
  readonly workspaces: WorkspaceRegistry;
  readonly live: LiveServer;
  readonly stageCounters: Map<string, StageCounters>;
  /** Host and bound port (after start). */
  address(): { host: string; port: number };
  /** The OTLP/gRPC receiver's bound address; undefined when off or its port was unavailable. */
  grpcAddress(): { host: string; port: number } | undefined;
  mountRoute(prefix: string, handler: RouteHandler, opts?: { public?: boolean }): void;
  health(): Health;
  stats(): Promise<Stats>;
  /** Counts of requests answered with an error status, by status. */
  readonly errorsByStatus: Map<number, number>;
}

const LOG_EVERY_MS = 5000;

export function createCollector(config: CollectorConfig, parts: CollectorParts): Collector {
  validateConfig(config);
  const startedAt = new Date();
  const workspaces = parts.workspaces ?? new WorkspaceRegistry();
  const stageCounters = new Map<string, StageCounters>();
  const processors = (parts.processors ?? []).map((p, i) =>
    typeof p === 'function' ? countedProcessor(p.name || `processor${i}`, p, stageCounters) : countedProcessor(p.name, p.fn, stageCounters));
  const routes: Route[] = [...(parts.routes ?? [])];
  const emit = (e: CollectorEvent) => parts.onEvent?.(e);
  // Per-request events (bad requests, rejected items) are logged at most once per key per
  // LOG_EVERY_MS with the number suppressed in between, so a broken client cannot flood the log.
  const lastLogged = new Map<string, { at: number; suppressed: number }>();
  const emitLimited = (key: string, e: CollectorEvent) => {
    const now = Date.now();
    const l = lastLogged.get(key);
    if (l && now - l.at < LOG_EVERY_MS) { l.suppressed++; return; }
    lastLogged.set(key, { at: now, suppressed: 0 });
    emit(l?.suppressed ? { ...e, suppressed: l.suppressed } : e);
  };
  const counts = { received: { spans: 0, logs: 0, metrics: 0 }, rejected: { spans: 0, logs: 0, metrics: 0 }, truncated: 0 };
  const errorsByStatus = new Map<number, number>();
  let inFlight = 0;
  let heldBytes = 0;
  let closing = false;
  let started = false;
  let storeReady = false;
  let shutdownPromise: Promise<void> | undefined;
  const secret = generateSecret();
  const liveNonces = new NonceLedger();

  const health = (): Health => ({ product: 'vibewatch-collector', version: COLLECTOR_VERSION, protocol: PROTOCOL_VERSION, pid: process.pid, startedAt: startedAt.toISOString(), storage: config.storage });
  const stats = async (): Promise<Stats> => {
    const s = await parts.store.stats();
    return {
      received: { ...counts.received },
      rejected: { ...counts.rejected },
      sampledAway: s.sampledAway,
      truncated: counts.truncated,
      storageBytes: s.storageBytes,
      segments: s.segments,
      queue: { pending: inFlight, limit: config.queueLimit },
      uptimeSec: Math.round((Date.now() - startedAt.getTime()) / 1000),
      stored: { spans: s.spans, logs: s.logs, metrics: s.metricPoints },
      httpErrors: Object.fromEntries([...errorsByStatus].map(([k, v]) => [String(k), v])),
    };
  };

  const gate: IngestGate = {
    admit() {
      if (closing) throw new HttpError(503, 14, 'the collector is shutting down', { 'retry-after': String(config.retryAfterSec) });
      if (!storeReady) throw new HttpError(503, 14, 'the collector is starting (opening its storage)', { 'retry-after': '1' });
      if (inFlight >= config.queueLimit) throw new HttpError(429, 8, `ingest queue is full (${config.queueLimit} requests pending); retry later`, { 'retry-after': String(config.retryAfterSec) });
      inFlight++;
    },
    release() {
      inFlight--;
    },
    holdBytes(n) {
      if (heldBytes > 0 && heldBytes + n > config.maxQueuedBytes) throw new HttpError(429, 8, `ingest queue is full (${heldBytes} bytes pending); retry later`, { 'retry-after': String(config.retryAfterSec) });
      heldBytes += n;
    },
    releaseBytes(n) {
      heldBytes -= n;
    },
    async process(batch) {
      for (const p of processors) {
        try {
          await p(batch);
        } catch (err) {
          emit({ event: 'processor-failed', message: (err as Error).message });
        }
      }
      if (batch.spans.length || batch.logs.length || batch.metrics.length) await parts.store.consume(batch);
      counts.received.spans += batch.spans.length;
      counts.received.logs += batch.logs.length;
      counts.received.metrics += batch.metrics.length;
      counts.rejected.spans += batch.rejected.spans;
      counts.rejected.logs += batch.rejected.logs;
      counts.rejected.metrics += batch.rejected.metrics;
      counts.truncated += batch.truncated;
      const rejected = batch.rejected.spans + batch.rejected.logs + batch.rejected.metrics;
      if (rejected) emitLimited('rejected', { event: 'rejected', spans: batch.rejected.spans, logs: batch.rejected.logs, metrics: batch.rejected.metrics, reasons: batch.rejected.reasons });
      notify(batch);
      parts.onBatch?.(batch);
    },
    noteBadRequest(status, message) {
      errorsByStatus.set(status, (errorsByStatus.get(status) ?? 0) + 1);
      emitLimited(`bad-request:${status}`, { event: 'bad-request', status, message });
    },
  };

  const live = new LiveServer({
    handlers: mergeHandlers(baseHandlers({ store: parts.store, health, stats, workspaces }), parts.handlers ?? []),
    health,
    // Browsers do not apply CORS to WebSockets, and no browser can hold the secret: see access.ts.
    authorize: (req) => {
      const v = liveUpgradeVerdict(req, config, secret, liveNonces);
      if (v.ok) return v.role === 'team' ? { only: TEAM_METHODS } : true;
      errorsByStatus.set(v.status, (errorsByStatus.get(v.status) ?? 0) + 1);
      emitLimited(`live-refused:${v.status}`, { event: 'live-refused', status: v.status, reason: v.reason });
      return v;
    },
    upgradeHeaders: (req): Record<string, string> => {
      const proof = proofFor(req, secret);
      return proof ? { [PROOF_HEADER]: proof } : {};
    },
    onDisconnect: (id) => workspaces.unregister(id),
  });

  function notify(batch: TelemetryBatch): void {
    const files = new Set<string>();
    for (const s of batch.spans) if (s.location) files.add(s.location.file);
    for (const l of batch.logs) if (l.location) files.add(l.location.file);
    const topics: SignalTopic[] = [];
    if (batch.spans.length) topics.push('spans');
    if (batch.logs.length) topics.push('logs');
    if (batch.metrics.length) topics.push('metrics');
    if (topics.length) live.noteChanged({ files, topics });
  }

  const server: Server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    void route(req, res).catch((err) => {
      emit({ event: 'request-failed', message: (err as Error).message });
      if (!res.headersSent) send(res, 500, 'json', Buffer.from(JSON.stringify({ code: 13, message: 'internal error' })));
      else res.destroy();
    });
  });
  live.attach(server);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (!hostAllowed(config, req.headers.host)) {
      res.setHeader('connection', 'close');
      return sendStatus(res, 403, 7, 'this collector only answers requests addressed to a loopback host name');
    }
    if (!applyCors(req, res) && req.method === 'OPTIONS') return sendStatus(res, 403, 7, 'CORS is allowed for loopback origins only');
    if (req.method === 'OPTIONS') { res.statusCode = 204; res.end(); return; }
    const signal = OTLP_PATHS[path];
    const mounted = signal ? undefined : routes.find((r) => routeMatches(r.prefix, path));
    if (requiresApiKey(config) && !mounted?.public && !apiKeyAccepted(config, req.headers)) {
      errorsByStatus.set(401, (errorsByStatus.get(401) ?? 0) + 1);
      res.setHeader('www-authenticate', 'Bearer');
      res.setHeader('connection', 'close');
      return sendStatus(res, 401, 16, 'this collector accepts remote clients only with an API key (x-vibewatch-key or Authorization: Bearer)');
    }
    if (signal) return handleOtlp(signal, req, res, gate, { maxBodyBytes: config.maxBodyBytes, limits: config.limits });
    if (path === HEALTH_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendStatus(res, 405, 3, 'use GET', { allow: 'GET' });
      // A client that sent a nonce gets proof that this collector holds the secret of its storage folder.
      const proof = proofFor(req, secret);
      if (proof) res.setHeader(PROOF_HEADER, proof);
      return send(res, 200, 'json', Buffer.from(JSON.stringify(health())));
    }
    if (mounted) { await mounted.handler(req, res); return; }
    return sendStatus(res, 404, 5, `no such endpoint ${path}; OTLP/HTTP is served at /v1/traces, /v1/logs, /v1/metrics`);
  }

  const grpc = config.grpcPort === 0 ? undefined : new GrpcReceiver(config, gate);
  let grpcBound = false;

  let bound = { host: config.host, port: config.port };
  return {
    secret,
    workspaces,
    live,
    stageCounters,
    errorsByStatus,
    address: () => bound,
    grpcAddress: () => (grpcBound ? grpc?.address() : undefined),
    health,
    stats,
    mountRoute(prefix, handler, opts) {
      routes.push({ prefix, handler, public: opts?.public });
    },
    async start() {
      if (started) return;
      started = true;
      // Listen first: a port conflict must fail before the storage folder is opened (a
      // second collector must never touch the first one's journal). Until the store is
      // open, /health answers and export requests get 503 + Retry-After.
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      bound = { host: config.host, port: (server.address() as AddressInfo).port };
      // The gRPC port is a second way in, not the collector's identity (/health and /live are
      // on the HTTP port): when it cannot be bound the collector warns and serves HTTP.
      if (grpc) {
        try {
          await grpc.start();
          grpcBound = true;
        } catch (err) {
          emit({ event: 'grpc-unavailable', host: config.host, port: config.grpcPort, message: `the OTLP/gRPC receiver could not listen on ${config.host}:${config.grpcPort} (${(err as Error).message}); OTLP/HTTP is still served` });
        }
      }
      try {
        // Only the collector that holds the port writes the secret: one that lost the port
        // race failed above and leaves the running collector's secret alone.
        await writeSecretFile(config.storage, secret);
        await parts.store.start();
        for (const hook of parts.onStoreStarted ?? []) await hook();
      } catch (err) {
        closing = true;
        await live.close();
        await grpc?.shutdown(0);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        throw err;
      }
      storeReady = true;
    },
    shutdown() {
      shutdownPromise ??= (async () => {
        closing = true;
        await live.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Requests already admitted finish (and are acknowledged) before the store closes.
        const deadline = Date.now() + 10_000;
        while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        server.closeAllConnections();
        await grpc?.shutdown(0);
        await stopped;
        for (const hook of parts.onShutdown ?? []) {
          try {
            await hook();
          } catch (err) {
            emit({ event: 'shutdown-hook-failed', message: (err as Error).message });
          }
        }
        if (storeReady) await parts.store.shutdown();
      })();
      return shutdownPromise;
    },
  };
}

export function routeMatches(prefix: string, path: string): boolean {
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === p || path.startsWith(p + '/') || (path.startsWith(p + '.') && !path.slice(p.length + 1).includes('/'));
}

function sendStatus(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  send(res, status, 'json', Buffer.from(JSON.stringify({ code, message })));
}
