// Collector configuration: defaults, and parsing from CLI flags and the environment.
// Flags win over environment variables, which win over defaults.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS, type ReceiverLimits } from './receiver/values';

export interface CollectorConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** OTLP/gRPC receiver port on the same host: 0 = off, 'auto' = a free port (tests).
   *  defaultConfig() leaves it off for embedding code; configFrom() defaults to 4317. */
  grpcPort: number | 'auto';
  storage: string;
  /** Required to bind a non-loopback host; never without `apiKey`, which every request but
   *  the public status page must then carry. */
  allowRemote: boolean;
  /** From $VIBEWATCH_API_KEY or --api-key-file, never from argv (visible to every user in `ps`). */
  apiKey?: string;
  /** Request body limit after decompression. Default 20 MiB. */
  maxBodyBytes: number;
  /** Export requests decoded but not yet acknowledged; above it → 429 + Retry-After. Default 64. */
  queueLimit: number;
  /** Decompressed request bytes held by admitted requests; above it → 429 (a lone request always passes). Default 64 MiB. */
  maxQueuedBytes: number;
  /** Seconds clients are told to wait when the queue is full. Default 2. */
  retryAfterSec: number;
  limits: ReceiverLimits;
  retentionHours: number;
  maxStorageMb: number;
  aggregateRetentionDays: number;
  /** --ai-patterns (the vibewatch.aiDiffs.extraPatterns setting): regular expressions, each
   *  known to compile (case-insensitive) — validated here so a bad one is a configuration
   *  error (exit 2, no restart loop), not a crash of the git plugin. */
  aiPatterns: string[];
  /** Where telemetry is stored: the sql.js store in `storage` (default), or ClickHouse
   *  (`--store clickhouse`; `storage` then holds the journal and the series checkpoint). */
  store: StoreConfig;
  /** Every flag given on the command line, for plugins that read their own
   *  (e.g. --slow-query-ms, --webhook); unknown flags are not an error. */
  flags: Record<string, string | true>;
}

export type StoreConfig =
  | { kind: 'sqljs' }
  | { kind: 'clickhouse'; url: string; database: string; user?: string; password?: string; cluster?: string };

export const DEFAULT_PORT = 4318;
export const DEFAULT_GRPC_PORT = 4317;

export function defaultStorageDir(env: NodeJS.ProcessEnv): string {
  if (env.VIBEWATCH_STORAGE) return env.VIBEWATCH_STORAGE;
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'vibewatch');
}

export function defaultConfig(env: NodeJS.ProcessEnv = {}): CollectorConfig {
  return {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    grpcPort: 0,
    storage: defaultStorageDir(env),
    allowRemote: false,
    maxBodyBytes: 20 * 1024 * 1024,
    queueLimit: 64,
    maxQueuedBytes: 64 * 1024 * 1024,
    retryAfterSec: 2,
    limits: { ...DEFAULT_LIMITS },
    retentionHours: 24,
    maxStorageMb: 500,
    aggregateRetentionDays: 30,
    aiPatterns: [],
    store: { kind: 'sqljs' },
    flags: {},
  };
}

export class ConfigError extends Error {}

function num(v: string | true | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n < min) throw new ConfigError(`--${name} must be a number >= ${min}`);
  return n;
}

/**
 * Flags: --host --port --grpc-port --storage --retention-hours --max-storage-mb --aggregate-retention-days
 * --allow-remote --api-key-file --max-body-mb --queue-limit. Env: VIBEWATCH_HOST, VIBEWATCH_PORT, VIBEWATCH_GRPC_PORT,
 * VIBEWATCH_STORAGE, VIBEWATCH_API_KEY, VIBEWATCH_ALLOW_REMOTE=1. `--api-key` is refused (see apiKeyFrom).
 */
export function configFrom(flags: Record<string, string | true>, env: NodeJS.ProcessEnv): CollectorConfig {
  const c = defaultConfig(env);
  const str = (v: string | true | undefined, name: string) => {
    if (v === true) throw new ConfigError(`--${name} needs a value`);
    return v;
  };
  c.host = str(flags.host, 'host') ?? env.VIBEWATCH_HOST ?? c.host;
  c.port = num(flags.port ?? env.VIBEWATCH_PORT, 'port', 0) ?? c.port;
  if (c.port > 65535 || !Number.isInteger(c.port)) throw new ConfigError('--port must be an integer 0..65535');
  c.grpcPort = grpcPortFrom(flags['grpc-port'] ?? env.VIBEWATCH_GRPC_PORT);
  c.storage = str(flags.storage, 'storage') ?? c.storage;
  c.retentionHours = num(flags['retention-hours'], 'retention-hours', 0.01) ?? c.retentionHours;
  c.maxStorageMb = num(flags['max-storage-mb'], 'max-storage-mb', 1) ?? c.maxStorageMb;
  c.aggregateRetentionDays = num(flags['aggregate-retention-days'], 'aggregate-retention-days', 0.01) ?? c.aggregateRetentionDays;
  c.flags = { ...flags };
  c.aiPatterns = aiPatternsFrom(flags['ai-patterns']);
  const bodyMb = num(flags['max-body-mb'], 'max-body-mb', 0.001);
  if (bodyMb !== undefined) c.maxBodyBytes = Math.round(bodyMb * 1024 * 1024);
  c.queueLimit = num(flags['queue-limit'], 'queue-limit', 1) ?? c.queueLimit;
  c.allowRemote = flags['allow-remote'] === true || flags['allow-remote'] === 'true' || env.VIBEWATCH_ALLOW_REMOTE === '1';
  c.apiKey = apiKeyFrom(flags, env);
  if (flags['clickhouse-password'] !== undefined) throw new ConfigError(REFUSED_FLAGS['clickhouse-password']);
  c.store = storeFrom(flags, env);
  validateConfig(c);
  return c;
}

/** `--ai-patterns '["regex", …]'`: a JSON array of non-empty strings, each a valid regular
 *  expression; anything else names the setting and the entry at fault. */
export function aiPatternsFrom(flag: string | true | undefined): string[] {
  if (flag === undefined) return [];
  const what = '--ai-patterns (setting vibewatch.aiDiffs.extraPatterns)';
  if (flag === true) throw new ConfigError(`${what} needs a value: a JSON array of regular expressions`);
  if (!flag.trim()) return [];
  let list: unknown;
  try {
    list = JSON.parse(flag);
  } catch (err) {
    throw new ConfigError(`${what} must be a JSON array of regular expressions: ${(err as Error).message}`);
  }
  if (!Array.isArray(list)) throw new ConfigError(`${what} must be a JSON array of regular expressions`);
  return list.map((re, i) => {
    if (typeof re !== 'string' || !re) throw new ConfigError(`${what}: entry ${i + 1} must be a non-empty string`);
    try {
      new RegExp(re, 'i');
    } catch (err) {
      throw new ConfigError(`${what}: entry ${i + 1} ${JSON.stringify(re.slice(0, 80))} is not a valid regular expression (${(err as Error).message})`);
    }
    return re;
  });
}

function grpcPortFrom(v: string | true | undefined): number | 'auto' {
  if (v === undefined) return DEFAULT_GRPC_PORT;
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (v === true || v.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError('--grpc-port must be an integer 0..65535 (0 turns the gRPC receiver off) or auto');
  return n;
}

/**
 * The API key: the contents of --api-key-file, else $VIBEWATCH_API_KEY. A key given as
 * --api-key is a configuration error rather than a warning: argv is readable by every
 * user of the machine, so a key there is already disclosed.
 */
export function apiKeyFrom(flags: Record<string, string | true>, env: NodeJS.ProcessEnv): string | undefined {
  if (flags['api-key'] !== undefined) throw new ConfigError(REFUSED_FLAGS['api-key']);
  const file = flags['api-key-file'];
  if (file === true) throw new ConfigError('--api-key-file needs a value');
  if (file !== undefined) {
    let key: string;
    try {
      key = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`--api-key-file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (!key) throw new ConfigError(`--api-key-file ${file} is empty`);
    return key;
  }
  return env.VIBEWATCH_API_KEY || undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** `--store sqljs|clickhouse` and the `--clickhouse-*` flags; the password only from
 *  $VIBEWATCH_CLICKHOUSE_PASSWORD (argv is visible in ps, so neither a flag nor the URL may
 *  carry it). Checked once here, so a bad value is exit 2 naming the flag. */
export function storeFrom(flags: Record<string, string | true>, env: NodeJS.ProcessEnv): StoreConfig {
  const val = (name: string): string | undefined => {
    const v = flags[name];
    if (v === true) throw new ConfigError(`--${name} needs a value`);
    return v;
  };
  const kind = val('store') ?? 'sqljs';
  const chFlags = ['clickhouse-url', 'clickhouse-database', 'clickhouse-user', 'clickhouse-cluster'].filter((f) => flags[f] !== undefined);
  if (kind === 'sqljs') {
    if (chFlags.length) throw new ConfigError(`--${chFlags[0]} needs --store clickhouse`);
    return { kind };
  }
  if (kind !== 'clickhouse') throw new ConfigError(`--store must be sqljs or clickhouse, not ${JSON.stringify(kind)}`);
  const raw = val('clickhouse-url');
  if (!raw) throw new ConfigError('--store clickhouse needs --clickhouse-url (e.g. http://127.0.0.1:8123)');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--clickhouse-url ${JSON.stringify(raw)} is not a URL (e.g. http://127.0.0.1:8123)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--clickhouse-url must be http:// or https:// (ClickHouse's HTTP interface), not ${url.protocol}`);
  if (url.username || url.password) throw new ConfigError('--clickhouse-url must not carry credentials (the command line is visible in ps): use --clickhouse-user and VIBEWATCH_CLICKHOUSE_PASSWORD');
  if (url.search || url.hash) throw new ConfigError('--clickhouse-url takes no query or fragment (use --clickhouse-database)');
  const database = val('clickhouse-database') ?? 'vibewatch';
  if (!NAME.test(database)) throw new ConfigError(`--clickhouse-database ${JSON.stringify(database)}: use letters, digits and _`);
  const cluster = val('clickhouse-cluster');
  if (cluster !== undefined && !NAME.test(cluster)) throw new ConfigError(`--clickhouse-cluster ${JSON.stringify(cluster)}: use letters, digits and _ (a name from remote_servers)`);
  const user = val('clickhouse-user');
  const password = env.VIBEWATCH_CLICKHOUSE_PASSWORD || undefined;
  return { kind, url: url.origin + (url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')), database, ...(user ? { user } : {}), ...(password ? { password } : {}), ...(cluster ? { cluster } : {}) };
}

/** Flags no verb takes any more, with what to do instead (not listed in any help). */
export const REFUSED_FLAGS: Readonly<Record<string, string>> = {
  'api-key': '--api-key is not accepted (the command line is visible to every user in ps): set VIBEWATCH_API_KEY or use --api-key-file FILE',
  'clickhouse-password': '--clickhouse-password is not accepted (the command line is visible to every user in ps): set VIBEWATCH_CLICKHOUSE_PASSWORD',
};

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function validateConfig(c: CollectorConfig): void {
  if (!isLoopbackHost(c.host) && !c.allowRemote) throw new ConfigError(`binding to ${c.host} (not loopback) needs --allow-remote and an API key (VIBEWATCH_API_KEY or --api-key-file)`);
  // Remote mode turns the Host check off; without a key nothing would replace it.
  if (c.allowRemote && !c.apiKey) throw new ConfigError('--allow-remote needs an API key (VIBEWATCH_API_KEY or --api-key-file)');
}
