// The analysis holder crashes (SIGKILL, no clean stop, no lease release): two `vibewatch
// collect` processes on one clickhouse-server (no cluster: several collectors on one server
// share the load the same way). The standby takes over once the holder's lease row expires,
// resumes from the last checkpoint, counts on, and does not send the alert that was already
// firing again.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LiveClient } from '../../../../../collector/live/client';
import { secretFrom } from '../../../../../collector/live/secretFile';
import { chQuery, startClickHouse, type ClickHouseServer } from '../../../../harness/clickhouse';
import { eventually } from '../../../../harness/realCollector';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

interface Proc { child: ChildProcess; out: () => string; url: string; client: LiveClient; storage: string }

async function collect(storage: string, args: string[]): Promise<Proc> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'collect', '--port', '0', '--grpc-port', '0', '--storage', storage, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const port = await eventually('listening', async () => /"event":"listening".*?"port":(\d+)/.exec(out)?.[1], 30_000, () => out);
  const client = new LiveClient({ port: Number(port), secret: secretFrom(storage) });
  await client.connect();
  return { child, out: () => out, url: `http://127.0.0.1:${port}`, client, storage };
}

/** 10 requests at line 42, half failing; resolves once acknowledged. */
async function send(url: string, file: string): Promise<void> {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'shop' }), spanProcessors: [new SimpleSpanProcessor(mem)] });
  const tracer = provider.getTracer('shop');
  for (let i = 0; i < 10; i++) {
    const root = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id', 'http.request.method': 'GET', 'code.filepath': file, 'code.lineno': 42 } });
    tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT 1', 'code.filepath': file, 'code.lineno': 57 } }, trace.setSpan(context.active(), root)).end();
    if (i % 2 === 0) {
      root.recordException({ name: 'TypeError', message: 'total of undefined', stack: `TypeError: total of undefined\n    at getOrder (${file}:44:17)` });
      root.setStatus({ code: SpanStatusCode.ERROR, message: 'total of undefined' });
    }
    root.end();
  }
  await provider.forceFlush();
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces` });
  const r = await new Promise<{ code: number }>((resolve) => exporter.export(mem.getFinishedSpans(), resolve));
  await exporter.shutdown();
  await provider.shutdown();
  assert.equal(r.code, ExportResultCode.SUCCESS);
}

describe('the analysis holder crashes: the standby takes over from the checkpoint (two collector processes, one clickhouse-server)', function () {
  this.timeout(180_000);
  let ch: ClickHouseServer;
  let tmp: string;
  let hook: http.Server;
  const bodies: { type: string }[] = [];
  const procs: Proc[] = [];

  before(async () => {
    ch = await startClickHouse();
    tmp = mkdtempSync(join(tmpdir(), 'vw-team-crash-'));
    mkdirSync(join(tmp, 'ws', '.vibewatch'), { recursive: true });
    writeFileSync(join(tmp, 'ws', 'orders.ts'), Array.from({ length: 80 }, (_, i) => `export const l${i} = ${i};`).join('\n'));
    writeFileSync(join(tmp, 'ws', '.vibewatch', 'alerts.json'), JSON.stringify({ defaults: false, rules: [{ id: 'orders-errors', kind: 'errorRate', op: '>', threshold: 0.2, windowMinutes: 5, minCalls: 20, for: '0', severity: 'critical' }] }));
    hook = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => { bodies.push(JSON.parse(b) as { type: string }); res.end(); });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    for (const p of procs) {
      p.client.dispose();
      if (p.child.exitCode === null && p.child.signalCode === null) {
        const exited = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        await exited;
      }
    }
    await new Promise<void>((r) => hook?.close(() => r()));
    await ch?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('takes over within the lease, counts on from the checkpoint, and does not send the firing alert again', async () => {
    const file = join(tmp, 'ws', 'orders.ts');
    const args = ['--workspace', join(tmp, 'ws'), '--store', 'clickhouse', '--clickhouse-url', ch.url, '--clickhouse-database', 'crash',
      '--webhook', `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, '--analysis-settings', JSON.stringify({ flushIntervalMs: 200, tickIntervalMs: 300 }),
      '--team-analysis-poll-ms', '100', '--team-analysis-lease-ms', '1500', '--team-analysis-checkpoint-ms', '300'];
    const a = await collect(join(tmp, 'a'), args);
    procs.push(a);
    await eventually('a holds the analysis', async () => a.out().includes('"event":"team.analysis.active"'), 20_000, a.out);
    const b = await collect(join(tmp, 'b'), args);
    procs.push(b);
    await eventually('b stands by', async () => b.out().includes('"event":"team.analysis.standby"'), 20_000, b.out);

    for (let i = 0; i < 6; i++) await send(i % 2 ? b.url : a.url, file);
    await eventually('the alert fired once', async () => bodies.some((x) => x.type === 'alert.firing'), 30_000, () => JSON.stringify(bodies));
    await eventually('a counted both halves', async () => (await a.client.request('errors', {}))[0]?.count === 30, 20_000);
    // Everything a acknowledged is in ClickHouse, and a checkpoint has been saved since.
    await eventually('all rows stored', async () => Number((await chQuery(ch.url, 'SELECT count() FROM crash.spans')).trim()) === 120, 20_000);
    await new Promise((r) => setTimeout(r, 1_000));

    a.client.dispose();
    a.child.kill('SIGKILL');
    await eventually('b took over after the lease expired', async () => b.out().includes('"event":"team.analysis.active"'), 20_000, b.out);
    for (let i = 0; i < 2; i++) await send(b.url, file);
    await eventually('b counts on from the checkpoint', async () => (await b.client.request('errors', {}))[0]?.count === 40, 20_000, () => b.out().slice(-2000));
    await eventually('b\'s lens too', async () => (await b.client.request('fileSummary', { file })).lines.find((l) => l.line === 42 && l.kind === 'span')?.calls === 80, 20_000);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(bodies.filter((x) => x.type === 'alert.firing').length, 1, JSON.stringify(bodies));
    assert.equal((await b.client.request('alerts', { state: 'firing' })).length, 1);
  });
});
