// Test helper: serves a live handler table the way a collector does (`/health` + `/live`)
// on an ephemeral loopback port, for client verbs tested without a whole collector.
import { createServer } from 'node:http';
import type { HandlerTable } from '../../../../collector/live/handlers';
import { HEALTH_PATH, PROTOCOL_VERSION, type Health } from '../../../../collector/live/protocol';
import { LiveServer } from '../../../../collector/live/server';

export interface ServedHandlers {
  port: number;
  live: LiveServer;
  close(): Promise<void>;
}

export async function serveHandlers(handlers: HandlerTable): Promise<ServedHandlers> {
  const health = (): Health => ({ product: 'vibewatch-collector', version: 'test', protocol: PROTOCOL_VERSION, pid: process.pid, startedAt: new Date().toISOString(), storage: 'memory' });
  const live = new LiveServer({ handlers, health });
  const server = createServer((req, res) => {
    if (req.url === HEALTH_PATH) res.setHeader('content-type', 'application/json'), res.end(JSON.stringify(health()));
    else res.writeHead(404).end();
  });
  live.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    live,
    async close() {
      await live.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
