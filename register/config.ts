// What vibewatch/register needs to know about the app it runs in: where to send telemetry,
// in which encoding, the service name and the running git revision. Pure functions of the
// environment and the file system, so they can be tested without starting an SDK.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';
export type Signal = 'traces' | 'logs' | 'metrics';
export type Protocol = 'http/protobuf' | 'http/json';

/** The export URL for a signal, or undefined when an OTEL_* variable names one: the
 *  exporters read OTEL_EXPORTER_OTLP_[SIGNAL_]ENDPOINT themselves and an explicit `url`
 *  would override them, so we only pass ours when the user set nothing. */
export function endpointFor(signal: Signal, env: NodeJS.ProcessEnv): string | undefined {
  if (env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`] || env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${DEFAULT_ENDPOINT}/v1/${signal}`;
}

/** Where the exporter of `signal` posts, resolved as the OTLP exporters resolve it: the
 *  signal's own variable as given, else the generic one with `/v1/<signal>` appended, else ours. */
export function resolvedEndpoint(signal: Signal, env: NodeJS.ProcessEnv): string {
  const own = env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`]?.trim();
  if (own) return own;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base) return `${base.replace(/\/+$/, '')}/v1/${signal}`;
  return `${DEFAULT_ENDPOINT}/v1/${signal}`;
}

/** Protobuf by default (the OTLP spec's default for HTTP, about half the bytes of JSON);
 *  OTEL_EXPORTER_OTLP_[SIGNAL_]PROTOCOL=http/json switches. grpc is not offered. */
export function protocolFor(signal: Signal, env: NodeJS.ProcessEnv): Protocol {
  const p = (env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`] || env.OTEL_EXPORTER_OTLP_PROTOCOL || '').trim();
  return p === 'http/json' ? 'http/json' : 'http/protobuf';
}

/** The folder the app lives in: the main script's folder, else the working directory. */
export function appDir(argv: string[] = process.argv, cwd: string = process.cwd()): string {
  const main = argv[1];
  if (main) {
    const full = resolve(cwd, main);
    try {
      return statSync(full).isDirectory() ? full : dirname(full);
    } catch {
      // `node -e`, a REPL, or a main without an extension that does not exist as typed.
      return cwd;
    }
  }
  return cwd;
}

/** `name` from the nearest package.json at or above `dir`. */
export function packageName(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    const pj = join(d, 'package.json');
    if (existsSync(pj)) {
      try {
        const name = (JSON.parse(readFileSync(pj, 'utf8')) as { name?: unknown }).name;
        if (typeof name === 'string' && name) return name.replace(/^@[^/]+\//, '');
      } catch (err) {
        process.stderr.write(`[vibewatch] ignoring unreadable ${pj}: ${(err as Error).message}\n`);
      }
    }
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** `git rev-parse HEAD` in `dir`; undefined when git is missing, slow or `dir` is no repo. */
export function gitRevision(dir: string, timeoutMs = 1500): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      timeout: timeoutMs,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    }).trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(out) ? out : undefined;
  } catch {
    // No git, not a repository, or a timeout: the revision is optional by contract.
    return undefined;
  }
}
