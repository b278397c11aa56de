// The /live access rules against the real collector as `vibewatch collect` runs it (real
// plugins, sql.js store, spans from the official exporter): without a valid token made
// from the per-collector secret nothing connects, so no method (clearData among them) is
// reachable; browsers never connect, not even with a valid token.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { AUTH_HEADER, clientToken, generateSecret } from '../../../../collector/live/auth';
import { LiveAuthError, LiveClient } from '../../../../collector/live/client';
import { secretFrom } from '../../../../collector/live/secretFile';
import { defaultConfig } from '../../../../collector/config';
import { collectorPlugins } from '../../../../collector/process/app';
import { runCollector } from '../../../../collector/server/run';
import { makeSpans, sendSpans, ExportResultCode } from './otelPayloads';

/** Status of a raw /live handshake (101 when it opened). */
function handshake(port: number, headers: Record<string, string>, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/live`, { headers, ...(origin ? { origin } : {}) });
    ws.on('error', () => undefined); // a refused handshake also emits an error; the status is what we check
    ws.on('unexpected-response', (req, res) => { resolve(res.statusCode ?? 0); req.destroy(); });
    ws.on('open', () => { resolve(101); ws.close(); });
  });
}

describe('collector access: /live needs the per-collector secret', function () {
  this.timeout(60_000);
  let dir: string;
  let port: number;
  let stop: (reason: string) => void;
  let running: Promise<number>;
  let secret: () => string | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vw-access-'));
    const lines: Record<string, unknown>[] = [];
    const stopSignal = new Promise<string>((r) => (stop = r));
    running = runCollector({ ...defaultConfig({}), port: 0, storage: dir, flags: { workspace: dir } }, { print: (l) => lines.push(JSON.parse(l)), plugins: collectorPlugins(), stopSignal });
    while (!lines.some((l) => l.event === 'listening')) {
      if (lines.some((l) => l.event === 'start-failed')) throw new Error(JSON.stringify(lines));
      await new Promise((r) => setTimeout(r, 10));
    }
    port = Number(lines.find((l) => l.event === 'listening')!.port);
    secret = secretFrom(dir);
    const r = await sendSpans(`http://127.0.0.1:${port}`, 'json', await makeSpans());
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
  });
  after(async () => {
    stop('test done');
    assert.equal(await running, 0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unauthenticated /live upgrade with 401', async () => {
    assert.equal(await handshake(port, {}), 401);
    // A key alone makes a (read-only) team client only on a team collector (remote mode).
    assert.equal(await handshake(port, { 'x-vibewatch-key': 'any' }), 401);
    await assert.rejects(new LiveClient({ port }).connect(), (e: Error) => e instanceof LiveAuthError && /HTTP 401.*no collector secret was given/.test(e.message));
  });

  it('refuses a token made with another secret, for another port, or from another time', async () => {
    const s = secret()!;
    assert.equal(await handshake(port, { [AUTH_HEADER]: clientToken(generateSecret(), port) }), 401);
    assert.equal(await handshake(port, { [AUTH_HEADER]: clientToken(s, port + 1) }), 401);
    assert.equal(await handshake(port, { [AUTH_HEADER]: clientToken(s, port, Date.now() - 10 * 60_000) }), 401);
    assert.equal(await handshake(port, { [AUTH_HEADER]: 'v1.1.2.3' }), 401);
    assert.equal(await handshake(port, { [AUTH_HEADER]: clientToken(s, port) }), 101);
  });

  it('accepts a token once: a replayed handshake is refused', async () => {
    const token = clientToken(secret()!, port);
    assert.equal(await handshake(port, { [AUTH_HEADER]: token }), 101);
    assert.equal(await handshake(port, { [AUTH_HEADER]: token }), 401);
  });

  it('refuses every browser origin, even one presenting a valid token', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:3000', 'vscode-webview://abc']) {
      assert.equal(await handshake(port, { [AUTH_HEADER]: clientToken(secret()!, port) }, origin), 403, origin);
    }
  });

  it('keeps the data when clearData comes without the secret, and clears it with the secret', async () => {
    await assert.rejects(new LiveClient({ port, secret: generateSecret() }).connect(), LiveAuthError);
    const client = new LiveClient({ port, secret });
    try {
      await client.connect();
      assert.equal((await client.request('traces', { limit: 10 })).length, 1);
      assert.deepEqual(await client.request('clearData', {}), { ok: true });
      assert.equal((await client.request('traces', { limit: 10 })).length, 0);
    } finally {
      client.dispose();
    }
  });

  it('still takes OTLP exports and answers /health without the secret', async () => {
    const r = await sendSpans(`http://127.0.0.1:${port}`, 'protobuf', await makeSpans());
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { product: string }).product, 'vibewatch-collector');
    assert.equal(health.headers.get('x-vibewatch-proof'), null, 'no proof without a nonce');
  });
});
