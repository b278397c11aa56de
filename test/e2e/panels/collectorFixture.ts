// A real collector (createCollector + SqlStore in a temp dir) on 127.0.0.1:0 with a live
// client, fed by the demo telemetry. Panel requests are answered through the live protocol,
// as the extension host does (it forwards panel requests under the same method name).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../../collector/config';
import { LiveClient } from '../../../collector/live/client';
import type { Method } from '../../../collector/live/protocol';
import { createCollector, type Collector } from '../../../collector/server/collector';
import { SqlStore } from '../../../collector/store/sqlStore';
import type { Responder } from '../../harness/panelPage';
import { sendDemoTelemetry, type DemoIds } from './demoTelemetry';

export interface CollectorFixture {
  collector: Collector;
  client: LiveClient;
  url: string;
  ids: DemoIds;
  respond: Responder;
  stop(): Promise<void>;
}

export async function startCollectorWithDemo(): Promise<CollectorFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vw-panels-'));
  const store = new SqlStore({ dir, worker: false });
  const collector = createCollector({ ...defaultConfig({}), storage: dir, port: 0 }, { store });
  await collector.start();
  const url = `http://127.0.0.1:${collector.address().port}`;
  const client = new LiveClient({ port: collector.address().port });
  const stop = async () => {
    client.dispose();
    await collector.shutdown();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await client.connect();
    const ids = await sendDemoTelemetry(url);
    // The store acknowledges once durable; queries may lag the engine a little.
    const deadline = Date.now() + 10_000;
    while ((await client.request('traces', { limit: 1000 })).length < ids.traceCount) {
      if (Date.now() > deadline) throw new Error('collector did not make the demo traces queryable within 10 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const respond: Responder = (method, params) => client.request(method as Method, params as never);
    return { collector, client, url, ids, respond, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
