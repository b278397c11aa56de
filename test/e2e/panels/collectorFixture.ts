// A real collector stack on 127.0.0.1:0: createCollector + SqlStore (temp dir) + the
// analysis Analyzer (its processor, live handlers and fast timers) + the public status
// routes, with a live client. Panel requests are answered through the live protocol, as
// the extension host does (it forwards panel requests under the same method name).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../../../collector/analysis/analyzer';
import { analysisHandlers } from '../../../collector/analysis/handlers';
import type { AlertRule } from '../../../collector/analysis/types';
import { defaultConfig } from '../../../collector/config';
import { LiveClient } from '../../../collector/live/client';
import type { Method } from '../../../collector/live/protocol';
import { createCollector, type Collector } from '../../../collector/server/collector';
import { WorkspaceRegistry } from '../../../collector/live/workspaceRegistry';
import { Locator } from '../../../collector/source/locator';
import { statusRoutes } from '../../../collector/status/routes';
import { SqlStore } from '../../../collector/store/sqlStore';
import type { Responder } from '../../harness/panelPage';
import { sendDemoTelemetry, type DemoIds } from './demoTelemetry';

/** Fires when more than 20% of the calls of a shop endpoint fail (critical → incident). */
export const CHECKOUT_RULE: AlertRule = { id: 'checkout-errors', title: 'Checkout failing', kind: 'errorRate', service: 'shop', op: '>', threshold: 0.2, windowMinutes: 5, minCalls: 3, for: 0, severity: 'critical' };

export interface CollectorFixture {
  collector: Collector;
  analyzer: Analyzer;
  client: LiveClient;
  url: string;
  ids: DemoIds;
  respond: Responder;
  stop(): Promise<void>;
}

export async function startCollectorWithDemo(opts: { statusRefreshSec?: number } = {}): Promise<CollectorFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vw-panels-'));
  const store = new SqlStore({ dir, worker: false, log: () => {} });
  const analyzer = new Analyzer({ state: store, settings: { rules: [CHECKOUT_RULE], flushIntervalMs: 100, tickIntervalMs: 200, configReloadMs: 600_000, minuteGraceMs: 0 }, log: () => {} });
  // Source mapping over this folder (the demo app's "workspace": its code.* attributes and
  // stack frames point at demoTelemetry.ts here).
  const workspaces = new WorkspaceRegistry();
  workspaces.register(0, { folders: [__dirname], pathMappings: {} });
  const locator = new Locator(workspaces);
  const collector = createCollector({ ...defaultConfig({}), storage: dir, port: 0 }, {
    store,
    workspaces,
    processors: [{ name: 'source', fn: (b) => locator.locateBatch(b) }, { name: 'analysis', fn: analyzer.processor }],
    handlers: [analysisHandlers(analyzer)],
    routes: statusRoutes(async () => analyzer.status(), { title: 'Shop', refreshSec: opts.statusRefreshSec ?? 1 }),
    onEvent: () => {},
  });
  await collector.start(); // starts the store
  await analyzer.start(); // loads its state from the store
  const url = `http://127.0.0.1:${collector.address().port}`;
  const client = new LiveClient({ port: collector.address().port });
  const stop = async () => {
    client.dispose();
    await analyzer.shutdown(); // saves into the store
    await collector.shutdown(); // shuts the store down
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await client.connect();
    const ids = await sendDemoTelemetry(url);
    // The store acknowledges once durable; queries may lag the engine a little.
    await waitFor(async () => (await client.request('traces', { limit: 1000 })).length >= ids.traceCount, 'the demo traces to be queryable');
    const respond: Responder = (method, params) => client.request(method as Method, params as never);
    return { collector, analyzer, client, url, ids, respond, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
