import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveClient } from '../../../../collector/live/client';
import { secretFrom } from '../../../../collector/live/secretFile';
import { ExportResultCode, makeSpans, sendSpans } from '../server/otelPayloads';
import { spawnCollector, type Spawned } from './spawn';

describe('collector process', function () {
  this.timeout(60_000);
  let dir: string;
  const procs: Spawned[] = [];
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'vw-proc-')); });
  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) { p.child.kill('SIGKILL'); await p.exited; }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints listening, stores what it acknowledged, stops cleanly on SIGTERM and has it after a restart', async () => {
    const first = spawnCollector(['--port', '0', '--storage', dir]);
    procs.push(first);
    const listening = await first.waitFor(['listening']);
    const port = Number(listening.port);
    assert.equal(listening.host, '127.0.0.1');
    const spans = await makeSpans();
    const r = await sendSpans(`http://127.0.0.1:${port}`, 'protobuf', spans);
    assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.ok(first.lines.some((l) => l.event === 'stopped' && l.reason === 'SIGTERM'));

    const second = spawnCollector(['--port', '0', '--storage', dir]);
    procs.push(second);
    const again = await second.waitFor(['listening']);
    const client = new LiveClient({ port: Number(again.port), secret: secretFrom(dir) });
    try {
      await client.connect();
      const trace = await client.request('trace', { traceId: spans[0].spanContext().traceId });
      assert.deepEqual(trace.map((s) => s.name).sort(), ['GET /orders/:id', 'POST payments', 'SELECT orders']);
    } finally {
      client.dispose();
    }
  });

  it('reports already-running and exits 0 when a collector of the same storage folder holds the port, keeping its secret', async () => {
    const first = spawnCollector(['--port', '0', '--storage', dir]);
    procs.push(first);
    const port = String((await first.waitFor(['listening'])).port);
    const secret = secretFrom(dir)();
    const second = spawnCollector(['--port', port, '--storage', dir]);
    procs.push(second);
    const line = await second.waitFor(['already-running']);
    assert.equal(line.pid, first.child.pid);
    assert.equal(await second.exited, 0);
    assert.equal(secretFrom(dir)(), secret, 'the second process must not replace the running collector\'s secret');
  });

  it('exits 3 when the collector on the port cannot prove it holds the secret of this storage folder', async () => {
    const first = spawnCollector(['--port', '0', '--storage', dir]);
    procs.push(first);
    const port = String((await first.waitFor(['listening'])).port);
    const second = spawnCollector(['--port', port, '--storage', join(dir, 'other')]);
    procs.push(second);
    const line = await second.waitFor(['port-conflict']);
    assert.match(String(line.detail), /cannot prove it holds the secret/);
    assert.equal(await second.exited, 3);
  });

  it('exits 3 with a clear message when something else holds the port', async () => {
    const foreign: Server = createServer((_req, res) => res.end('<html>not a collector</html>'));
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
    try {
      const port = (foreign.address() as AddressInfo).port;
      const p = spawnCollector(['--port', String(port), '--storage', dir]);
      procs.push(p);
      const line = await p.waitFor(['port-conflict']);
      assert.equal(line.message, `port ${port} is in use by something that is not a Vibewatch collector`);
      assert.equal(await p.exited, 3);
    } finally {
      foreign.close();
    }
  });

  it('shuts down when the parent process disconnects', async () => {
    // The flags the extension's supervisor passes, including ones only plugins read.
    const p = spawnCollector(['--host', '127.0.0.1', '--port', '0', '--storage', dir, '--retention-hours', '24', '--max-storage-mb', '500', '--aggregate-retention-days', '30', '--slow-query-ms', '500', '--n-plus-one', '5', '--webhook-slack'], { ipc: true });
    procs.push(p);
    await p.waitFor(['listening']);
    p.child.disconnect();
    const stopped = await p.waitFor(['stopped']);
    assert.equal(stopped.reason, 'parent-disconnect');
    assert.equal(await p.exited, 0);
  });

  it('runs in the foreground as `vibewatch collect` and stops on SIGINT', async () => {
    const p = spawnCollector(['collect', '--port', '0', '--storage', dir, '--retention-hours', '2', '--max-storage-mb', '50'], { entry: 'collector/cli/main.ts' });
    procs.push(p);
    const listening = await p.waitFor(['listening']);
    assert.equal(listening.storage, dir);
    p.child.kill('SIGINT');
    assert.equal((await p.waitFor(['stopped'])).reason, 'SIGINT');
    assert.equal(await p.exited, 0);
  });

  it('refuses a non-loopback host without --allow-remote and an API key', async () => {
    const p = spawnCollector(['--host', '0.0.0.0', '--port', '0', '--storage', dir]);
    procs.push(p);
    const line = await p.waitFor(['config-error']);
    assert.match(String(line.message), /needs --allow-remote and an API key/);
    assert.equal(await p.exited, 2);
  });

  it('an invalid regex in --ai-patterns is a configuration error naming the setting (exit 2, so no restart loop)', async () => {
    const p = spawnCollector(['--ai-patterns', '["claude", "("]', '--port', '0', '--storage', dir]);
    procs.push(p);
    const message = String((await p.waitFor(['config-error'])).message);
    assert.match(message, /vibewatch\.aiDiffs\.extraPatterns/);
    assert.match(message, /entry 2 "\(" is not a valid regular expression/);
    assert.equal(await p.exited, 2);
  });

  for (const [flags, want] of [
    [['--analysis-settings', 'notjson'], /--analysis-settings must be JSON/],
    [['--analysis-settings', '{"tickIntervalMs":"x"}'], /tickIntervalMs must be a number/],
    [['--incident-severity', 'bogus'], /vibewatch\.incidents\.minSeverity.*must be one of info, warning, critical/],
  ] as [string[], RegExp][]) {
    it(`a bad component setting (${flags.join(' ')}) is a configuration error naming it (exit 2), not a crash or ignored`, async () => {
      const p = spawnCollector([...flags, '--port', '0', '--storage', dir]);
      procs.push(p);
      const line = await p.waitFor(['start-failed', 'config-error']);
      assert.match(String(line.message), want);
      assert.equal(await p.exited, 2);
    });
  }

  it('refuses --allow-remote without an API key (exit 2), even on loopback', async () => {
    const p = spawnCollector(['--allow-remote', '--port', '0', '--storage', dir], { env: { VIBEWATCH_API_KEY: '' } });
    procs.push(p);
    assert.match(String((await p.waitFor(['config-error'])).message), /--allow-remote needs an API key/);
    assert.equal(await p.exited, 2);
  });

  it('refuses an API key on the command line (exit 2) and takes it from --api-key-file', async () => {
    const p = spawnCollector(['--allow-remote', '--api-key', 'k', '--port', '0', '--storage', dir]);
    procs.push(p);
    assert.match(String((await p.waitFor(['config-error'])).message), /--api-key is not accepted/);
    assert.equal(await p.exited, 2);
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, 'from-a-file\n', { mode: 0o600 });
    const q = spawnCollector(['--allow-remote', '--api-key-file', keyFile, '--port', '0', '--storage', join(dir, 'data')], { env: { VIBEWATCH_API_KEY: '' } });
    procs.push(q);
    const port = Number((await q.waitFor(['listening'])).port);
    const denied = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(denied.status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: 'Bearer from-a-file' } })).status, 200);
  });
});
