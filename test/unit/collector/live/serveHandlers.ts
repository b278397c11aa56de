// Test helper: serves a live handler table the way a collector does (`/health` + `/live`,
// with the collector's access rules and a secret file in a temp storage folder) on an
// ephemeral loopback port, for client verbs tested without a whole collector.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret, NonceLedger, PROOF_HEADER } from '../../../../collector/live/auth';
import type { HandlerTable } from '../../../../collector/live/handlers';
import { HEALTH_PATH, PROTOCOL_VERSION, type Health } from '../../../../collector/live/protocol';
import { writeSecretFile } from '../../../../collector/live/secretFile';
import { LiveServer } from '../../../../collector/live/server';
import { liveUpgradeVerdict, proofFor } from '../../../../collector/server/access';

export interface ServedHandlers {
  port: number;
  live: LiveServer;
  /** The storage folder holding `collector.secret` (pass it as --storage to client verbs). */
  storage: string;
  secret: string;
  close(): Promise<void>;
}

export async function serveHandlers(handlers: HandlerTable): Promise<ServedHandlers> {
  const storage = mkdtempSync(join(tmpdir(), 'vw-served-'));
  const secret = generateSecret();
  await writeSecretFile(storage, secret);
  const health = (): Health => ({ product: 'vibewatch-collector', version: 'test', protocol: PROTOCOL_VERSION, pid: process.pid, startedAt: new Date().toISOString(), storage });
  const nonces = new NonceLedger();
  const access = { allowRemote: false };
  const live = new LiveServer({
    handlers,
    health,
    authorize: (req) => {
      const v = liveUpgradeVerdict(req, access, secret, nonces);
      return v.ok ? true : v;
    },
    upgradeHeaders: (req): Record<string, string> => {
      const proof = proofFor(req, secret);
      return proof ? { [PROOF_HEADER]: proof } : {};
    },
  });
  const server = createServer((req, res) => {
    if (req.url === HEALTH_PATH) {
      const proof = proofFor(req, secret);
      if (proof) res.setHeader(PROOF_HEADER, proof);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(health()));
    } else res.writeHead(404).end();
  });
  live.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    live,
    storage,
    secret,
    async close() {
      await live.close();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(storage, { recursive: true, force: true });
    },
  };
}
