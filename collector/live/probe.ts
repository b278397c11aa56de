// Asks whatever listens on host:port whether it is a Vibewatch collector (GET /health).
// Used by the extension (attach instead of spawning a second collector), by the collector
// process (a port conflict is reported, not crashed on) and by the CLI client verbs.
// Anything can answer /health with `"product":"vibewatch-collector"`; given the secrets the
// caller can read (secretFile.ts), only a collector that proves it holds one of them is
// "vibewatch" — anything else on the port is "foreign", as a web server there would be.
import * as http from 'node:http';
import { checkCollectorProof, NONCE_HEADER, newNonce, PROOF_HEADER } from './auth';
import { HEALTH_PATH, type Health } from './protocol';

export type ProbeResult =
  /** `secret`: which of the given secrets the collector proved it holds (absent when none were given). */
  | { kind: 'vibewatch'; health: Health; secret?: string }
  | { kind: 'foreign'; detail: string }
  | { kind: 'free' };

/**
 * `secrets` undefined: any Vibewatch health answer counts (for callers that only need to
 * know the port is taken by one). Given (even empty): the answer must carry a proof made
 * with one of them for this port and a fresh nonce.
 */
export function probeCollector(host: string, port: number, timeoutMs = 1500, secrets?: readonly string[]): Promise<ProbeResult> {
  const nonce = newNonce();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (secrets) headers[NONCE_HEADER] = nonce;
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: HEALTH_PATH, timeout: timeoutMs, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 64 * 1024) {
          res.destroy();
          resolve({ kind: 'foreign', detail: 'health response too large' });
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Health>;
          if (res.statusCode === 200 && body.product === 'vibewatch-collector') {
            if (!secrets) return resolve({ kind: 'vibewatch', health: body as Health });
            const proof = res.headers[PROOF_HEADER];
            const secret = secrets.find((s) => checkCollectorProof(typeof proof === 'string' ? proof : undefined, s, port, nonce));
            if (secret) resolve({ kind: 'vibewatch', health: body as Health, secret });
            else resolve({ kind: 'foreign', detail: `it answers ${HEALTH_PATH} as a Vibewatch collector (pid ${String(body.pid)}) but cannot prove it holds the secret of ${secrets.length ? 'our storage folder' : 'a storage folder we can read'}` });
          } else resolve({ kind: 'foreign', detail: `HTTP ${res.statusCode} from ${HEALTH_PATH}` });
        } catch {
          resolve({ kind: 'foreign', detail: `HTTP ${res.statusCode}, not a Vibewatch health response` });
        }
      });
      res.on('error', (err) => resolve({ kind: 'foreign', detail: err.message }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ kind: 'foreign', detail: `no answer within ${timeoutMs} ms` });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') resolve({ kind: 'free' });
      else if (err.code === 'ECONNRESET' || err.code === 'EPROTO' || err.code === 'HPE_INVALID_CONSTANT') resolve({ kind: 'foreign', detail: err.message });
      else resolve({ kind: 'foreign', detail: `${err.code ?? ''} ${err.message}`.trim() });
    });
  });
}

/** A free TCP port on the loopback interface (for "use another port" and tests). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
