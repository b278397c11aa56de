// `vibewatch collect` (run a collector in the foreground) and the client verbs that talk
// to a running one over the live protocol: `stats`, `traces`, `health`.
import { ConfigError, configFrom, DEFAULT_PORT, defaultStorageDir } from '../config';
import { LiveClient } from '../live/client';
import { probeCollector } from '../live/probe';
import { readSecretFile } from '../live/secretFile';
import type { Stats, TraceSummary } from '../live/protocol';
import { runCollector } from '../server/run';
import { collectorPlugins } from '../process/app';
import { CLIENT_OPTIONS, type CliCommand, type CliIo, type ParsedArgs } from './command';
import { COLLECT_OPTIONS } from './collectOptions';

export const collectCommand: CliCommand = {
  name: 'collect',
  summary: 'Run the collector in the foreground (OTLP/HTTP on 127.0.0.1:4318, OTLP/gRPC on 4317)',
  options: COLLECT_OPTIONS,
  notes: 'Logs one JSON line per event on stdout; stops cleanly on Ctrl-C / SIGTERM.\n' +
    'Exit codes: 0 stopped or already running, 1 failed, 2 bad arguments, 3 port held by something else,\n' +
    '4 storage folder unusable.\n' +
    'Writes a fresh secret to DIR/collector.secret (mode 0600) at every start; clients of the live\n' +
    'protocol read it from there. In remote mode the API key comes from $VIBEWATCH_API_KEY or\n' +
    '--api-key-file, never from the command line.\n',
  async run(args, io) {
    let config;
    try {
      config = configFrom(args.flags, io.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr(`vibewatch collect: ${err.message}\n`);
      return 2;
    }
    const code = await runCollector(config, { print: (l) => io.stdout(l + '\n'), plugins: collectorPlugins() });
    if (code === 3) io.stderr(`vibewatch collect: port ${config.port} is in use by something that is not a Vibewatch collector of ${config.storage}\n`);
    return code;
  },
};

/** The storage folder a client verb takes the collector's secret from: --storage, else the collector's default. */
export function clientStorage(args: ParsedArgs, io: CliIo): string {
  return typeof args.flags.storage === 'string' ? args.flags.storage : defaultStorageDir(io.env);
}

/** The collector a client verb talks to (--host, --port), or undefined for a bad port. */
export function clientAddress(args: ParsedArgs): { host: string; port: number } | undefined {
  const host = typeof args.flags.host === 'string' ? args.flags.host : '127.0.0.1';
  const port = typeof args.flags.port === 'string' ? Number(args.flags.port) : DEFAULT_PORT;
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** Connects a LiveClient to the collector named by --host/--port, or explains why not. */
export async function connectClient(args: ParsedArgs, io: CliIo): Promise<LiveClient | undefined> {
  const address = clientAddress(args);
  if (!address) {
    io.stderr('--port must be an integer 1..65535\n');
    return undefined;
  }
  const { host, port } = address;
  const storage = clientStorage(args, io);
  const read = readSecretFile(storage);
  if ('error' in read) {
    // Say "nothing answers" when that is the case: a missing secret is then no surprise.
    if ((await probeCollector(host, port)).kind === 'free') io.stderr(`no Vibewatch collector answers at ${host}:${port} (connection refused)\n`);
    else io.stderr(`vibewatch: no collector secret to connect with (${read.error}); name the collector's storage folder with --storage DIR\n`);
    return undefined;
  }
  const apiKey = io.env.VIBEWATCH_API_KEY || undefined;
  const client = new LiveClient({ host, port, apiKey, secret: read.secret, connectTimeoutMs: 3000, requestTimeoutMs: 15_000 });
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.dispose();
    io.stderr(`no Vibewatch collector answers at ${host}:${port} (${(err as Error).message.replace(/^no Vibewatch collector answers at \S+:? ?/, '') || 'connection refused'})\n`);
    return undefined;
  }
}

/** Runs `fn` with a connected client; exit 2 when no collector answers, 1 on a request error. */
export async function withClient(args: ParsedArgs, io: CliIo, fn: (c: LiveClient) => Promise<number>): Promise<number> {
  const client = await connectClient(args, io);
  if (!client) return 2;
  try {
    return await fn(client);
  } catch (err) {
    io.stderr(`vibewatch: ${(err as Error).message}\n`);
    return 1;
  } finally {
    client.dispose();
  }
}

function formatStats(s: Stats): string {
  const mb = (s.storageBytes / 1024 / 1024).toFixed(1);
  return [
    `received   spans ${s.received.spans}  logs ${s.received.logs}  metric points ${s.received.metrics}`,
    `rejected   spans ${s.rejected.spans}  logs ${s.rejected.logs}  metric points ${s.rejected.metrics}`,
    `truncated  ${s.truncated}   sampled away ${s.sampledAway}`,
    `storage    ${mb} MB in ${s.segments} segment(s)   queue ${s.queue.pending}/${s.queue.limit}   up ${s.uptimeSec}s`,
    ...(s.stored ? [`stored     spans ${s.stored.spans}  logs ${s.stored.logs}  metric points ${s.stored.metrics}`] : []),
    ...(s.httpErrors && Object.keys(s.httpErrors).length ? [`errors     ${Object.entries(s.httpErrors).map(([k, v]) => `HTTP ${k} × ${v}`).join('  ')}`] : []),
  ].join('\n') + '\n';
}

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'Counts per signal, storage size, rejected and dropped counts of a running collector',
  options: CLIENT_OPTIONS,
  run: (args, io) => withClient(args, io, async (c) => {
    const s = await c.request('stats', {});
    io.stdout(args.flags.json ? JSON.stringify(s, null, 2) + '\n' : formatStats(s));
    return 0;
  }),
};

function formatTraces(list: TraceSummary[]): string {
  if (!list.length) return 'no traces\n';
  return list.map((t) => `${new Date(t.startMs).toISOString()}  ${t.traceId}  ${t.service}  ${t.rootName}  ${t.durationMs.toFixed(1)} ms  ${t.spanCount} spans${t.errorCount ? `  ${t.errorCount} errors` : ''}`).join('\n') + '\n';
}

export const tracesCommand: CliCommand = {
  name: 'traces',
  summary: 'Recent traces of a running collector',
  options: [
    { name: 'service', arg: 'S', help: 'only traces of this service' },
    { name: 'limit', arg: 'N', help: 'at most N traces (default 20)' },
    ...CLIENT_OPTIONS,
  ],
  run: (args, io) => {
    const limit = args.flags.limit === undefined ? 20 : Number(args.flags.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      io.stderr('--limit must be a positive integer\n');
      return Promise.resolve(2);
    }
    const service = typeof args.flags.service === 'string' ? args.flags.service : undefined;
    return withClient(args, io, async (c) => {
      const list = await c.request('traces', service ? { service, limit } : { limit });
      io.stdout(args.flags.json ? JSON.stringify(list, null, 2) + '\n' : formatTraces(list));
      return 0;
    });
  },
};

export const healthCommand: CliCommand = {
  name: 'health',
  summary: 'Is a Vibewatch collector running here? (version, pid, storage)',
  options: CLIENT_OPTIONS,
  run: (args, io) => withClient(args, io, async (c) => {
    const h = await c.request('health', {});
    io.stdout(args.flags.json ? JSON.stringify(h, null, 2) + '\n' : `vibewatch collector ${h.version} (pid ${h.pid}, protocol ${h.protocol}) since ${h.startedAt}, storage ${h.storage}\n`);
    return 0;
  }),
};
