// Starts a collector on 127.0.0.1:0 with a MemoryStore and a LiveClient connected to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type CollectorConfig } from '../../../../collector/config';
import { LiveClient } from '../../../../collector/live/client';
import { createCollector, type Collector, type CollectorParts } from '../../../../collector/server/collector';
import { MemoryStore } from './memoryStore';

export interface Running {
  collector: Collector;
  store: MemoryStore;
  /** The temp storage folder; holds the collector's secret file (for client verbs' --storage). */
  storage: string;
  url: string;
  port: number;
  client: LiveClient;
  stop(): Promise<void>;
}

export async function startCollector(overrides: Partial<CollectorConfig> = {}, parts: Partial<CollectorParts> = {}): Promise<Running> {
  const storage = mkdtempSync(join(tmpdir(), 'vw-srv-'));
  const store = (parts.store as MemoryStore | undefined) ?? new MemoryStore();
  const config: CollectorConfig = { ...defaultConfig({}), storage, port: 0, ...overrides };
  const collector = createCollector(config, { ...parts, store });
  await collector.start();
  const port = collector.address().port;
  const client = new LiveClient({ port, apiKey: config.apiKey, secret: collector.secret });
  if (!config.allowRemote) await client.connect();
  return {
    collector, store, storage, port, client, url: `http://127.0.0.1:${port}`,
    async stop() {
      client.dispose();
      await collector.shutdown();
      rmSync(storage, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): { code?: number; message?: string; partialSuccess?: Record<string, unknown> };
}

/** A raw HTTP request (optionally on a shared keep-alive agent). */
export function post(url: string, path: string, body: Buffer | string, headers: Record<string, string | number> = {}, opts: { method?: string; agent?: Agent } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: opts.method ?? 'POST', headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, json: () => JSON.parse(b.toString('utf8')) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
