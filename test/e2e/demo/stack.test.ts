// The demo's processes without the editor (scripts/demoStack.ts, built dist/ files): the
// real collector process receives telemetry from both services, and stop() ends every
// process it started.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoStack, type DemoStack } from '../../../scripts/demoStack';
import { secretFrom } from '../../../collector/live/secretFile';
import { LiveClient } from '../../../collector/live/client';

describe('demo stack (collector, pricing, shop, load)', function () {
  this.timeout(120_000);
  let tmp: string;
  let stack: DemoStack | undefined;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vw-demo-stack-'));
    stack = await startDemoStack({ dir: tmp, rate: 20, minutes: 2 });
  });
  after(async () => {
    await stack?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('gets traces of the shop and of pricing into the collector process', async () => {
    const client = new LiveClient({ port: stack!.collectorPort, secret: secretFrom(stack!.storage) });
    await client.connect();
    try {
      const deadline = Date.now() + 60_000;
      let services = new Set<string>();
      while (Date.now() < deadline) {
        services = new Set((await client.request('traces', { limit: 500 })).map((t) => t.service));
        if (services.has('shop') && services.has('pricing')) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      assert.ok(services.has('shop') && services.has('pricing'), `services seen: ${[...services].join(', ')}`);
    } finally {
      client.dispose();
    }
  });

  it('stops every process it started', async () => {
    const pids = stack!.procs.map((p) => p.child.pid!);
    await stack!.stop();
    for (const pid of pids) {
      assert.throws(() => process.kill(pid, 0), /ESRCH/, `pid ${pid} is still running`);
    }
    stack = undefined;
  });
});
