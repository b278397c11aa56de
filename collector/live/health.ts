// `GET /health` probe, shared by the collector process (port conflict check) and clients
// (the extension decides between "connect" and "start one"). Light: no store imports.
import { get } from 'node:http';
import { HEALTH_PATH, type Health } from './protocol';

/** What answers at host:port: a Vibewatch collector, something else, or nothing. */
export type Probe = { kind: 'vibewatch'; health: Health } | { kind: 'other'; detail: string } | { kind: 'none'; detail: string };

export function probeHealth(host: string, port: number, timeoutMs = 2000): Promise<Probe> {
  return new Promise((resolve) => {
    const req = get({ host, port, path: HEALTH_PATH, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { if (text.length < 65536) text += c; });
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (err) {
          return resolve({ kind: 'other', detail: `HTTP ${res.statusCode}, not JSON (${(err as Error).message})` });
        }
        const h = body as Partial<Health> | null;
        if (h && typeof h === 'object' && h.product === 'vibewatch-collector') resolve({ kind: 'vibewatch', health: h as Health });
        else resolve({ kind: 'other', detail: `HTTP ${res.statusCode}, not a Vibewatch /health answer` });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ kind: 'none', detail: err.message }));
  });
}
