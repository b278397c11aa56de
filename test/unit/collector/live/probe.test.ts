import { strict as assert } from 'node:assert';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findFreePort, probeCollector } from '../../../../collector/live/probe';
import { generateSecret } from '../../../../collector/live/auth';
import { startCollector } from '../server/harness';

const FAKE_HEALTH = JSON.stringify({ product: 'vibewatch-collector', version: '0.0.0', protocol: 1, pid: 1, startedAt: new Date().toISOString(), storage: '/tmp' });

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

  it('recognises the collector that proves it holds one of the given secrets, and says which', async () => {
    const c = await startCollector();
    try {
      const p = await probeCollector('127.0.0.1', c.port, 1500, [generateSecret(), c.collector.secret]);
      assert.equal(p.kind, 'vibewatch');
      assert.equal(p.kind === 'vibewatch' && p.secret, c.collector.secret);
    } finally {
      await c.stop();
    }
  });

  it('calls a process answering /health as a Vibewatch collector "foreign" when it cannot prove the secret', async () => {
    const { server, port } = await serve(FAKE_HEALTH);
    try {
      assert.equal((await probeCollector('127.0.0.1', port)).kind, 'vibewatch', 'without secrets the claim is all there is');
      const p = await probeCollector('127.0.0.1', port, 1500, [generateSecret()]);
      assert.equal(p.kind, 'foreign');
      assert.match(p.kind === 'foreign' ? p.detail : '', /cannot prove it holds the secret/);
      assert.equal((await probeCollector('127.0.0.1', port, 1500, [])).kind, 'foreign');
    } finally {
      server.close();
    }
  });

  it('calls a process on another port that relays /health to the real collector "foreign" (the proof names the port)', async () => {
    const c = await startCollector();
    const relay = createServer((q, r) => {
      const up = request({ host: '127.0.0.1', port: c.port, path: q.url, headers: q.headers }, (res) => {
        r.writeHead(res.statusCode ?? 502, res.headers);
        res.pipe(r);
      });
      up.end();
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    try {
      const p = await probeCollector('127.0.0.1', (relay.address() as AddressInfo).port, 1500, [c.collector.secret]);
      assert.equal(p.kind, 'foreign');
    } finally {
      relay.close();
      await c.stop();
    }
  });
});
