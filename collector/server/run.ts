// Runs a collector as a process (the extension's child process and `vibewatch collect`):
// opens the sql.js store, starts the server, prints one JSON line per event of interest
// on stdout, and shuts down cleanly (flush, seal, close) on SIGINT/SIGTERM or when the
// parent process disconnects. Exit codes: 0 stopped or already running, 1 failed, 3 the
// port is held by something that is not a Vibewatch collector, 4 the storage folder is
// unusable. A busy gRPC port (--grpc-port) is not an exit: it is reported and HTTP serves.
import { ConfigError, type CollectorConfig } from '../config';
import type { HandlerTable } from '../live/handlers';
import { probeCollector } from '../live/probe';
import { secretsOf } from '../live/secretFile';
import type { LiveChange, LiveServer } from '../live/server';
import type { TelemetryBatch } from '../model/types';
import type { Processor } from '../pipeline';
import type { TelemetryStore } from '../store/api';
import { SqlStore } from '../store/sqlStore';
import { ClickHouseStore } from '../store/clickhouse/clickhouseStore';
import { createCollector, type CollectorEvent, type Route } from './collector';
import { WorkspaceRegistry } from '../live/workspaceRegistry';

import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_PORT_CONFLICT, EXIT_STORAGE } from '../exitCodes';

export { EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_PORT_CONFLICT, EXIT_STORAGE } from '../exitCodes';

export interface PluginContext {
  config: CollectorConfig;
  store: TelemetryStore;
  workspaces: WorkspaceRegistry;
  log: (e: CollectorEvent) => void;
  /** Tells live clients what changed (e.g. `{ topics: ['alerts'] }`); coalesced like data events. */
  notifyChanged: (change: LiveChange) => void;
}
/** What a plugin adds. Processors run in plugin order, then in array order. */
export interface PluginParts {
  processors?: { name: string; fn: Processor }[];
  handlers?: HandlerTable;
  routes?: Route[];
  /** Sees every batch once it is durable. */
  onBatch?: (batch: TelemetryBatch) => void;
  /** At shutdown, after ingest stopped and before the store closes. */
  shutdown?: () => Promise<void> | void;
  /** Once the store is open, before ingest is admitted: load saved state here, not in
   *  `setup` (the store's state is not readable before it starts). */
  start?: () => Promise<void> | void;
}
/** What a component contributes to the collector process (the collector's own: process/app.ts). */
export interface CollectorPlugin {
  name: string;
  setup(ctx: PluginContext): PluginParts | Promise<PluginParts>;
}

export interface RunOptions {
  plugins?: CollectorPlugin[];
  /** One line of output (JSON). */
  print: (line: string) => void;
  /** For tests: a store instead of the sql.js one. */
  makeStore?: (config: CollectorConfig, log: (e: CollectorEvent) => void) => TelemetryStore;
  /** Resolves to request a shutdown (signals, parent disconnect); default: process signals. */
  stopSignal?: Promise<string>;
}

export function jsonLine(e: CollectorEvent): string {
  return JSON.stringify({ ts: new Date().toISOString(), ...e }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

function processStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    if (process.send) process.once('disconnect', () => resolve('parent-disconnect'));
  });
}

/** The store `--store` names: sql.js in the storage folder, or ClickHouse (the storage
 *  folder then holds its journal and series checkpoint). */
export function makeStore(config: CollectorConfig, log: (e: CollectorEvent) => void): TelemetryStore {
  const limits = { rawMaxAgeMs: config.retentionHours * 3_600_000, rawMaxBytes: config.maxStorageMb * 1024 * 1024, aggregateMaxAgeMs: config.aggregateRetentionDays * 86_400_000 };
  const storeLog = (event: string, fields: Record<string, unknown>) => log({ event, ...fields });
  const s = config.store;
  if (s.kind === 'clickhouse') return new ClickHouseStore({ dir: config.storage, url: s.url, database: s.database, user: s.user, password: s.password, cluster: s.cluster, limits, log: storeLog });
  return new SqlStore({ dir: config.storage, limits, log: storeLog });
}

export async function runCollector(config: CollectorConfig, opts: RunOptions): Promise<number> {
  const log = (e: CollectorEvent) => opts.print(jsonLine(e));
  const store = opts.makeStore?.(config, log) ?? makeStore(config, log);
  const workspaces = new WorkspaceRegistry();
  const processors: { name: string; fn: Processor }[] = [];
  const handlers: HandlerTable[] = [];
  const routes: Route[] = [];
  const batchObservers: ((b: TelemetryBatch) => void)[] = [];
  const shutdownHooks: (() => Promise<void> | void)[] = [];
  const startHooks: (() => Promise<void> | void)[] = [];
  let live: LiveServer | undefined;
  const notifyChanged: PluginContext['notifyChanged'] = (change) => live?.noteChanged(change);
  for (const p of opts.plugins ?? []) {
    let part: PluginParts;
    try {
      part = await p.setup({ config, store, workspaces, log, notifyChanged });
    } catch (err) {
      // A component's settings are checked when it is built: a bad one is the user's
      // configuration (exit 2, the supervisor does not restart), not a crash.
      if (!(err instanceof ConfigError)) throw err;
      log({ event: 'start-failed', reason: 'config', component: p.name, message: err.message });
      return EXIT_CONFIG;
    }
    processors.push(...(part.processors ?? []));
    if (part.handlers) handlers.push(part.handlers);
    routes.push(...(part.routes ?? []));
    if (part.onBatch) batchObservers.push(part.onBatch);
    if (part.shutdown) shutdownHooks.push(part.shutdown);
    if (part.start) startHooks.push(part.start);
  }
  const onBatch = (b: TelemetryBatch) => {
    for (const observe of batchObservers) {
      try {
        observe(b);
      } catch (err) {
        log({ event: 'observer-failed', message: (err as Error).message });
      }
    }
  };
  const collector = createCollector(config, { store, processors, handlers, routes, workspaces, onEvent: log, onBatch, onShutdown: shutdownHooks, onStoreStarted: startHooks });
  live = collector.live;
  const stop = opts.stopSignal ?? processStopSignal();
  try {
    await collector.start();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      // "Already running" only for a collector that proves it holds the secret of our storage
      // folder; one serving another folder, or a fake, is a conflict.
      const probe = await probeCollector(config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host, config.port, 1500, secretsOf([config.storage]).found.map((f) => f.secret));
      if (probe.kind === 'vibewatch') {
        const h = probe.health;
        log({ event: 'already-running', host: config.host, port: config.port, pid: h.pid, version: h.version, storage: h.storage });
        return EXIT_OK;
      }
      log({ event: 'port-conflict', host: config.host, port: config.port, message: `port ${config.port} is in use by something that is not a Vibewatch collector`, detail: probe.kind === 'foreign' ? probe.detail : 'the port was released while probing' });
      return EXIT_PORT_CONFLICT;
    }
    if (e.syscall && e.path !== undefined) {
      log({ event: 'start-failed', reason: 'storage', storage: config.storage, message: `the storage folder ${config.storage} cannot be used (${e.code ?? 'error'}: ${e.message})` });
      return EXIT_STORAGE;
    }
    log({ event: 'start-failed', message: e.message });
    return EXIT_FAILED;
  }
  const { host, port } = collector.address();
  const h = collector.health();
  // grpcPort: the OTLP/gRPC receiver's bound port, or null when off or unavailable (then a
  // `grpc-unavailable` line came first; that is a warning, not a start failure).
  const grpcPort = collector.grpcAddress()?.port ?? null;
  log({ event: 'listening', host, port, grpcPort, pid: process.pid, version: h.version, storage: config.storage, url: `http://${host}:${port}` });
  const reason = await stop;
  log({ event: 'stopping', reason });
  try {
    await collector.shutdown();
  } catch (err) {
    log({ event: 'shutdown-failed', message: (err as Error).message });
    return EXIT_FAILED;
  }
  log({ event: 'stopped', reason });
  return EXIT_OK;
}
