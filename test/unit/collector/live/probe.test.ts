import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findFreePort, probeCollector } from '../../../../collector/live/probe';
import { startCollector } from '../server/harness';

async function serve(body: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_q, r) => r.end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('probeCollector', () => {
  it('recognises a Vibewatch collector and returns its health', async () => {
    const c = await startCollector();
    try {
      const p = await probeCollector('127.0.0.1', c.port);
      assert.equal(p.kind, 'vibewatch');
      assert.equal(p.kind === 'vibewatch' && p.health.pid, process.pid);
    } finally {
      await c.stop();
    }
  });

  it('calls a server that answers something else "foreign", even with JSON', async () => {
    for (const body of ['<html></html>', '{"status":"UP"}']) {
      const { server, port } = await serve(body);
      try {
        assert.equal((await probeCollector('127.0.0.1', port)).kind, 'foreign');
      } finally {
        server.close();
      }
    }
  });

  it('answers "free" when nothing listens', async () => {
    assert.equal((await probeCollector('127.0.0.1', await findFreePort())).kind, 'free');
  });
});
