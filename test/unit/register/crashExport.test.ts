// A process that dies under vibewatch/register still delivers what it had: the spans, the
// log records and the exception of the crash reach the real collector, although the batch
// processors' timers (5 s by default) never fire, and the process ends with the same code and
// the same crash output as without the register.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { eventually, startRealCollector, type RealCollector } from '../../harness/realCollector';
import { lineMarkers, REGISTER_SOURCE, REPO } from './spawnApp';

const DIR = join(__dirname, 'fixtures', 'crash-export');
const APP = join(DIR, 'app.js');
const LINES = lineMarkers(APP);

interface Exit {
  status: number | null;
  stderr: string;
}

/** Runs the fixture to its end (asynchronously: the collector runs in this process). */
function run(how: 'throw' | 'exit', env: NodeJS.ProcessEnv, instrument = true): Promise<Exit> {
  const args = instrument ? ['--require', 'tsx/cjs', '--require', REGISTER_SOURCE, APP, how] : [APP, how];
  const child = spawn(process.execPath, args, {
    cwd: DIR,
    // No OTEL_BSP_SCHEDULE_DELAY: the SDK's default 5 s, so only the exit flush can deliver.
    env: { ...process.env, NODE_PATH: join(REPO, 'node_modules'), NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => child.once('exit', (status) => {
    clearTimeout(killer);
    resolve({ status, stderr });
  }));
}

/** Node's crash report without the stack frames (the instrumentations add frames of their own). */
const crashHead = (stderr: string) => stderr.split('\n').filter((l) => !/^\s+at /.test(l)).join('\n');

describe('vibewatch/register delivers the telemetry of a process that dies', function () {
  this.timeout(90_000);
  let collector: RealCollector;

  before(async () => {
    collector = await startRealCollector({ workspace: DIR, flags: { 'analysis-settings': JSON.stringify({ tickIntervalMs: 200, flushIntervalMs: 200, traceQuietMs: 300 }) } });
  });
  after(async () => {
    await collector?.stop();
  });

  const env = (service: string, extra: NodeJS.ProcessEnv = {}) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: service, ...extra });
  const spansOf = async (service: string) => {
    const traces = await collector.client.request('traces', { service, limit: 100 });
    const out = [];
    for (const t of traces) out.push(...(await collector.client.request('trace', { traceId: t.traceId })));
    return out;
  };

  it('an uncaught exception in a request: the query, the request and the exception at its throw line arrive; exit code and crash output unchanged', async () => {
    const bare = await run('throw', {}, false);
    const off = await run('throw', env('crash-no-flush', { VIBEWATCH_EXIT_FLUSH_MS: '0', VIBEWATCH_CONSOLE_LOGS: '0' }));
    const crashed = await run('throw', env('crash', { VIBEWATCH_CONSOLE_LOGS: '0' }));
    assert.equal(bare.status, 1);
    assert.equal(crashed.status, bare.status);
    assert.equal(crashHead(crashed.stderr), crashHead(bare.stderr));

    const spans = await eventually('the crashed request\'s spans', async () => {
      const s = await spansOf('crash');
      return s.some((x) => x.kind === 2) && s.some((x) => x.kind === 3 && x.attributes['db.system.name'] === 'sqlite') && s;
    });
    const server = spans.find((s) => s.kind === 2)!;
    assert.equal(server.attributes['vibewatch.ended_at_exit'], true, 'the request never answered: ended when the process exited');
    const query = spans.find((s) => s.kind === 3 && s.attributes['vibewatch.sqlite.call'] === 'get')!;
    assert.equal(`${query.location?.file}:${query.location?.line}`, `${APP}:${LINES.query}`);
    assert.equal(query.traceId, server.traceId);

    const groups = await eventually('the crash\'s error group', async () => {
      const g = (await collector.client.request('errors', {})).filter((x) => x.type === 'TypeError');
      return g.length > 0 && g;
    });
    assert.equal(groups.length, 1);
    assert.equal(groups[0].count, 1, 'the log record and the span event of one crash are one occurrence');
    assert.equal(`${groups[0].location?.file}:${groups[0].location?.line}`, `${APP}:${LINES.throw}`);
    // The same crash with the exit flush off exported nothing (it ended before the other run started).
    assert.deepEqual(await spansOf('crash-no-flush'), []);
    assert.equal(off.status, 1);
  });

  it('process.exit() after a logged error: the query and the error log arrive, the exit code stays', async () => {
    const bare = await run('exit', {}, false);
    const exited = await run('exit', env('job'));
    assert.equal(bare.status, 3);
    assert.equal(exited.status, 3);
    assert.equal(crashHead(exited.stderr), crashHead(bare.stderr));
    const logs = await eventually('the error log', async () => {
      const l = await collector.client.request('logs', { service: 'job' });
      return l.some((x) => x.attributes['exception.type'] === 'RangeError') && l;
    });
    assert.match(logs.find((x) => x.attributes['exception.type'] === 'RangeError')!.body, /job failed/);
    const spans = await eventually('the job\'s query', async () => {
      const s = await spansOf('job');
      return s.some((x) => x.attributes['vibewatch.sqlite.call'] === 'all') && s;
    });
    const all = spans.find((x) => x.attributes['vibewatch.sqlite.call'] === 'all')!;
    assert.equal(`${all.location?.file}:${all.location?.line}`, `${APP}:${LINES.job}`);
  });

  it('a collector that accepts and never answers does not keep the dying process alive', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as { port: number }).port;
      const crashed = await run('throw', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, VIBEWATCH_EXIT_FLUSH_MS: '500' });
      assert.equal(crashed.status, 1, 'ended by itself with the crash\'s code, not killed');
      assert.ok(sockets.size > 0, 'the exit flush tried to deliver');
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
