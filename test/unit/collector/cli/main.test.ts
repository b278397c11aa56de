import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runCli } from '../../../../collector/cli/main';
import type { CliIo } from '../../../../collector/cli/command';
import { makeSpans, sendSpans } from '../server/otelPayloads';
import { post, startCollector, type Running } from '../server/harness';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; }, readStdin: async () => '' };
  return io;
}

/** A port nothing listens on (bound then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('vibewatch CLI', () => {
  let c: Running | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('lists every command in --help', async () => {
    const io = capture();
    assert.equal(await runCli(['--help'], io), 0);
    for (const verb of ['collect', 'stats', 'traces', 'health']) assert.match(io.out, new RegExp(`^  ${verb}\\s`, 'm'));
  });

  it('prints a verb\'s usage for VERB --help', async () => {
    const io = capture();
    assert.equal(await runCli(['traces', '--help'], io), 0);
    assert.match(io.out, /--service S/);
    assert.match(io.out, /--limit N/);
  });

  it('exits 2 on an unknown verb', async () => {
    const io = capture();
    assert.equal(await runCli(['frobnicate'], io), 2);
    assert.match(io.err, /unknown command "frobnicate"/);
  });

  it('prints stats as JSON with counts per signal', async () => {
    c = await startCollector();
    await sendSpans(c.url, 'json', await makeSpans());
    const io = capture();
    assert.equal(await runCli(['stats', '--json', '--port', String(c.port), '--storage', c.storage], io), 0);
    const s = JSON.parse(io.out);
    assert.deepEqual(s.received, { spans: 3, logs: 0, metrics: 0 });
    assert.deepEqual(s.queue, { pending: 0, limit: 64 });
    assert.deepEqual(s.stored, { spans: 3, logs: 0, metrics: 0 });
  });

  it('counts export requests answered with an error status in stats', async () => {
    c = await startCollector();
    await post(c.url, '/v1/traces', '{', { 'content-type': 'application/json' });
    await post(c.url, '/v1/traces', 'x', { 'content-type': 'text/plain' });
    const io = capture();
    assert.equal(await runCli(['stats', '--port', String(c.port), '--storage', c.storage], io), 0);
    assert.match(io.out, /HTTP 400 × 1 {2}HTTP 415 × 1/);
  });

  it('prints traces of one service as JSON, limited', async () => {
    c = await startCollector();
    await sendSpans(c.url, 'json', await makeSpans());
    await sendSpans(c.url, 'json', await makeSpans());
    const io = capture();
    assert.equal(await runCli(['traces', '--service', 'checkout', '--limit', '1', '--json', '--host', '127.0.0.1', '--port', String(c.port), '--storage', c.storage], io), 0);
    const list = JSON.parse(io.out);
    assert.equal(list.length, 1);
    assert.equal(list[0].service, 'checkout');
    const none = capture();
    assert.equal(await runCli(['traces', '--service', 'nope', '--json', '--port', String(c.port), '--storage', c.storage], none), 0);
    assert.deepEqual(JSON.parse(none.out), []);
  });

  it('exits non-zero with "no Vibewatch collector answers" when nothing listens', async () => {
    const port = await freePort();
    for (const verb of ['stats', 'traces', 'health']) {
      const io = capture();
      assert.equal(await runCli([verb, '--json', '--port', String(port)], io), 2);
      assert.match(io.err, new RegExp(`^no Vibewatch collector answers at 127\\.0\\.0\\.1:${port}`));
      assert.equal(io.out, '');
    }
  });

  it('connects with the secret from --storage, and says what is missing without it', async () => {
    c = await startCollector();
    const ok = capture();
    assert.equal(await runCli(['health', '--json', '--port', String(c.port), '--storage', c.storage], ok), 0, ok.err);
    assert.equal(JSON.parse(ok.out).product, 'vibewatch-collector');
    const elsewhere = capture();
    assert.equal(await runCli(['health', '--port', String(c.port), '--storage', `${c.storage}-none`], elsewhere), 2);
    assert.match(elsewhere.err, /no collector secret to connect with \(cannot read .*collector\.secret: ENOENT\); name the collector's storage folder with --storage DIR/);
    const argvKey = capture();
    assert.equal(await runCli(['stats', '--port', String(c.port), '--storage', c.storage, '--api-key', 'k'], argvKey), 2);
    assert.match(argvKey.err, /--api-key is not accepted/);
  });
});
