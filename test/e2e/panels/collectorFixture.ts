// The collector as the extension runs it (runCollector + the real plugins + the sql.js
// store in a temp dir) on 127.0.0.1:0, with fast analysis timers and a checkout rule, and a
// live client. Panel requests are answered through the live protocol, as the extension host
// does (it forwards panel requests under the same method name).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertRule } from '../../../collector/analysis/types';
import { defaultConfig } from '../../../collector/config';
import { LiveClient } from '../../../collector/live/client';
import { secretFrom } from '../../../collector/live/secretFile';
import type { Method } from '../../../collector/live/protocol';
import { collectorPlugins } from '../../../collector/process/app';
import { runCollector } from '../../../collector/server/run';
import type { Responder } from '../../harness/panelPage';
import { sendDemoTelemetry, type DemoIds } from './demoTelemetry';

/** Fires when more than 20% of the calls of a shop endpoint fail (critical → incident). */
export const CHECKOUT_RULE: AlertRule = { id: 'checkout-errors', title: 'Checkout failing', kind: 'errorRate', service: 'shop', op: '>', threshold: 0.2, windowMinutes: 5, minCalls: 3, for: 0, severity: 'critical' };

export interface CollectorFixture {
  client: LiveClient;
  url: string;
  ids: DemoIds;
  respond: Responder;
  stop(): Promise<void>;
}

export async function startCollectorWithDemo(opts: { statusRefreshSec?: number } = {}): Promise<CollectorFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vw-panels-'));
  const lines: Record<string, unknown>[] = [];
  let requestStop!: (reason: string) => void;
  const stopSignal = new Promise<string>((r) => (requestStop = r));
  // This folder is the demo app's "workspace": its code.* attributes and stack frames point
  // at demoTelemetry.ts here.
  const flags = {
    workspace: __dirname,
    'status-title': 'Shop',
    'status-refresh-sec': String(opts.statusRefreshSec ?? 1),
    // This workspace has no .vibewatch/status.json: opt in to one component per service.
    'status-publish-services': 'true',
    'analysis-settings': JSON.stringify({ rules: [CHECKOUT_RULE], flushIntervalMs: 100, tickIntervalMs: 200, configReloadMs: 600_000, minuteGraceMs: 0 }),
  };
  const running = runCollector({ ...defaultConfig({}), storage: dir, port: 0, flags }, { print: (l) => lines.push(JSON.parse(l)), plugins: collectorPlugins(), stopSignal });
  await waitFor(() => {
    if (lines.some((l) => l.event === 'start-failed')) throw new Error(`collector failed to start: ${JSON.stringify(lines)}`);
    return lines.some((l) => l.event === 'listening');
  }, 'the collector to listen');
  const port = Number(lines.find((l) => l.event === 'listening')!.port);
  const url = `http://127.0.0.1:${port}`;
  const client = new LiveClient({ port, secret: secretFrom(dir) });
  const stop = async () => {
    client.dispose();
    requestStop('test done');
    await running; // flushes the analysis into the store and shuts the store down
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await client.connect();
    const ids = await sendDemoTelemetry(url);
    // The store acknowledges once durable; queries may lag the engine a little.
    await waitFor(async () => (await client.request('traces', { limit: 1000 })).length >= ids.traceCount, 'the demo traces to be queryable');
    const respond: Responder = (method, params) => client.request(method as Method, params as never);
    return { client, url, ids, respond, stop };
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
