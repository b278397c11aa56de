// The collector as `vibewatch collect` runs it (runCollector + the real plugins + the sql.js
// store, or the ClickHouse store with `store`) in this test process, with a connected live client. For tests that send real
// telemetry and read back what a user would see.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type CollectorConfig } from '../../collector/config';
import { LiveClient } from '../../collector/live/client';
import { secretFrom } from '../../collector/live/secretFile';
import { collectorPlugins } from '../../collector/process/app';
import { runCollector } from '../../collector/server/run';

export interface RealCollector {
  /** OTLP/HTTP port on 127.0.0.1. */
  port: number;
  url: string;
  storage: string;
  client: LiveClient;
  /** Every JSON line the collector printed. */
  events: Record<string, unknown>[];
  /** Stops it (exit code 0 asserted) and removes the storage folder it made. */
  stop(): Promise<void>;
}

export interface RealCollectorOptions {
  workspace?: string;
  flags?: Record<string, string | true>;
  storage?: string;
  /** Transport settings beyond the defaults (e.g. `allowRemote` and `apiKey` for a team collector). */
  config?: Partial<Pick<CollectorConfig, 'allowRemote' | 'apiKey'>>;
  /** The store, as `--store` picks it (default: sql.js in `storage`); e.g.
   *  `{ kind: 'clickhouse', url: server.url, database: 'vibewatch' }`. */
  store?: CollectorConfig['store'];
}

export async function startRealCollector(opts: RealCollectorOptions = {}): Promise<RealCollector> {
  const storage = opts.storage ?? mkdtempSync(join(tmpdir(), 'vw-collector-'));
  const events: Record<string, unknown>[] = [];
  let signal!: (reason: string) => void;
  const stopSignal = new Promise<string>((r) => (signal = r));
  const flags = { ...(opts.workspace ? { workspace: opts.workspace } : {}), ...opts.flags };
  const running = runCollector({ ...defaultConfig({}), ...opts.config, ...(opts.store ? { store: opts.store } : {}), port: 0, storage, flags }, { print: (l) => events.push(JSON.parse(l)), plugins: collectorPlugins(), stopSignal });
  while (!events.some((l) => l.event === 'listening')) {
    if (events.some((l) => l.event === 'start-failed')) throw new Error(JSON.stringify(events));
    await new Promise((r) => setTimeout(r, 10));
  }
  const port = Number(events.find((l) => l.event === 'listening')!.port);
  const client = new LiveClient({ port, secret: secretFrom(storage), apiKey: opts.config?.apiKey });
  await client.connect();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    storage,
    client,
    events,
    async stop() {
      client.dispose();
      signal('test');
      assert.equal(await running, 0);
      if (!opts.storage) rmSync(storage, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something truthy; the message says what was last seen. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000, seen?: () => string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${seen ? `; seen: ${seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
