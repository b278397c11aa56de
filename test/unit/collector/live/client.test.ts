import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { generateSecret } from '../../../../collector/live/auth';
import { LiveAuthError, LiveClient } from '../../../../collector/live/client';

describe('LiveClient authentication', () => {
  it('drops a server that accepts the connection without proving it holds the secret, before "open"', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    const seen: string[] = [];
    wss.on('connection', (ws) => ws.send(JSON.stringify({ event: 'hello', data: {} })));
    server.on('upgrade', (req) => seen.push(String(req.headers['x-vibewatch-auth'] ?? '')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new LiveClient({ port: (server.address() as AddressInfo).port, secret: generateSecret() });
    let opened = false;
    client.on('open', () => (opened = true));
    try {
      await assert.rejects(client.connect(), (e: Error) => e instanceof LiveAuthError && /did not prove it holds the collector secret/.test(e.message));
      assert.equal(opened, false);
      assert.equal(client.connected, false);
      // What the fake got is a one-time token, never the secret itself.
      assert.equal(seen.length, 1);
      assert.match(seen[0], /^v1\.\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    } finally {
      client.dispose();
      wss.close();
      server.close();
    }
  });
});
