// test/harness/serverProcess.ts, which the PostgreSQL and ClickHouse harnesses start their
// servers with.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { freePorts, startOnFreePorts, waitUntilReady } from '../../harness/serverProcess';

const listen = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });

describe('test server processes (serverProcess)', function () {
  this.timeout(20_000);

  it('gives distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await freePorts(6);
    assert.equal(new Set(ports).size, 6);
    const servers = await Promise.all(ports.map(listen));
    for (const s of servers) s.close();
  });

  it('starts again on new ports when a port was taken before the bind, and gives up after the attempts', async () => {
    const tried: number[][] = [];
    const holders: net.Server[] = [];
    const server = await startOnFreePorts(2, async (ports) => {
      tried.push(ports);
      // Someone else takes the first port between the probe and the bind, twice.
      if (tried.length < 3) holders.push(await listen(ports[0]));
      return listen(ports[0]);
    });
    server.close();
    for (const h of holders) h.close();
    assert.equal(tried.length, 3);
    assert.equal(new Set(tried.map((p) => p[0])).size, 3, 'each attempt gets new ports');

    let calls = 0;
    await assert.rejects(startOnFreePorts(1, async () => { calls++; throw new Error(`attempt ${calls}`); }, 2), /attempt 2/);
    assert.equal(calls, 2);
  });

  it('waits until the process answers', async () => {
    const [port] = await freePorts(1);
    // A server that starts listening after 300 ms, as a database does after its start-up.
    const child = spawn(process.execPath, ['-e', `setTimeout(() => require('http').createServer((q, r) => r.end('1')).listen(${port}, '127.0.0.1'), 300)`], { stdio: 'ignore' });
    try {
      const t0 = Date.now();
      await waitUntilReady({
        child,
        intervalMs: 50,
        probe: () => new Promise((resolve, reject) => http.get(`http://127.0.0.1:${port}/`, (r) => { r.resume(); resolve(r.statusCode === 200); }).on('error', reject)),
        failure: (reason) => new Error(reason),
      });
      assert.ok(Date.now() - t0 >= 250);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('stops waiting as soon as the process exits, with its exit code, not at the timeout', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => process.exit(3), 100)'], { stdio: 'ignore' });
    const t0 = Date.now();
    await assert.rejects(
      waitUntilReady({ child, timeoutMs: 15_000, intervalMs: 50, probe: async () => false, failure: (reason) => new Error(`not ready (${reason})`) }),
      /not ready \(exit 3\)/,
    );
    assert.ok(Date.now() - t0 < 5_000);
  });

  it('says timeout when the process runs but never answers', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)'], { stdio: 'ignore' });
    try {
      await assert.rejects(waitUntilReady({ child, timeoutMs: 300, intervalMs: 50, probe: async () => false, failure: (reason) => new Error(reason) }), /^Error: timeout$/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
