// The team's analysis runs once per team, not once per ingest collector: two collectors in
// front of a two-shard ClickHouse cluster receive one stream of real OTel exports (official
// OTLP/HTTP exporter) split between them. One holds the analysis lease and folds both
// collectors' stored records; the breach of an error-rate rule raises one alert and one
// webhook, the error group counts both halves, the lens counts every call once, and the
// status page is the same on both. When the holder stops, the other takes over from the
// saved checkpoint: the alert is not raised or sent again, and the counts go on.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startClickHouseCluster, type ClickHouseCluster } from '../../../../harness/clickhouse';
import { eventually, startRealCollector, type RealCollector } from '../../../../harness/realCollector';
import { TempRepo, lines } from '../../git/repo';

/** `traces` requests of GET /orders/:id at line 42 of the deployed `revision`, every other one
 *  failing with a thrown error. */
async function requests(traces: number, file: string, revision: string): Promise<ReadableSpan[]> {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': revision }), spanProcessors: [new SimpleSpanProcessor(mem)] });
  const tracer = provider.getTracer('shop');
  for (let i = 0; i < traces; i++) {
    const fail = i % 2 === 0;
    const root = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id', 'http.request.method': 'GET', 'http.response.status_code': fail ? 500 : 200, 'code.filepath': file, 'code.lineno': 42 } });
    const ctx = trace.setSpan(context.active(), root);
    tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE id = $1', 'code.filepath': file, 'code.lineno': 57 } }, ctx).end();
    if (fail) {
      root.recordException({ name: 'TypeError', message: "Cannot read properties of undefined (reading 'total')", stack: `TypeError: Cannot read properties of undefined (reading 'total')\n    at getOrder (${file}:44:17)` });
      root.setStatus({ code: SpanStatusCode.ERROR, message: "Cannot read properties of undefined (reading 'total')" });
    }
    root.end();
  }
  await provider.forceFlush();
  const spans = mem.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** Sends `batches` batches of 10 requests round robin to `urls`; all must be acknowledged. */
async function send(urls: string[], file: string, batches: number, revision: string): Promise<number> {
  const exporters = urls.map((u) => new OTLPTraceExporter({ url: `${u}/v1/traces`, timeoutMillis: 15_000 }));
  let requestsSent = 0;
  for (let i = 0; i < batches; i++) {
    const spans = await requests(10, file, revision);
    const r = await new Promise<{ code: number }>((resolve) => exporters[i % exporters.length].export(spans, resolve));
    assert.equal(r.code, ExportResultCode.SUCCESS);
    requestsSent += 10;
  }
  await Promise.all(exporters.map((e) => e.shutdown()));
  return requestsSent;
}

describe('the team analysis runs once per team (two ingest collectors, a two-shard ClickHouse cluster)', function () {
  this.timeout(240_000);
  let cluster: ClickHouseCluster;
  let ws: { dir: string; file: string };
  let repo: TempRepo;
  let deployed: string;
  let hook: http.Server;
  const hooks: { type: string; alert?: { ruleId?: string } }[] = [];
  const collectors: RealCollector[] = [];

  before(async () => {
    cluster = await startClickHouseCluster(2);
    // The team's checkout: the handler came in an AI-assisted commit.
    repo = new TempRepo();
    repo.write('orders.ts', lines(1, 80));
    deployed = repo.commit('orders handler\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    ws = { dir: repo.dir, file: join(repo.dir, 'orders.ts') };
    mkdirSync(join(ws.dir, '.vibewatch'));
    // One rule, no defaults: half the requests fail, far above 20 %.
    writeFileSync(join(ws.dir, '.vibewatch', 'alerts.json'), JSON.stringify({ defaults: false, rules: [{ id: 'orders-errors', title: 'Orders fail', kind: 'errorRate', op: '>', threshold: 0.2, windowMinutes: 5, minCalls: 20, for: '0', severity: 'critical' }] }));
    writeFileSync(join(ws.dir, '.vibewatch', 'status.json'), JSON.stringify({ components: [{ id: 'orders', name: 'Orders', services: ['shop'] }] }));
    hook = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(b) as (typeof hooks)[number]);
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    for (const c of collectors) await c.stop().catch(() => undefined);
    await cluster?.stop();
    await new Promise<void>((r) => hook?.close(() => r()));
    repo?.cleanup();
  });

  const role = (c: RealCollector): string | undefined => {
    const last = [...c.events].reverse().find((e) => ['team.analysis.active', 'team.analysis.standby', 'team.analysis.lost'].includes(String(e.event)));
    return last ? String(last.event).split('.').pop() : undefined;
  };
  const firing = () => hooks.filter((h) => h.type === 'alert.firing');

  it('one collector holds the analysis: one alert and one webhook per breach, figures of both halves, one status page; a takeover repeats nothing', async () => {
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const flags = {
      webhook: url,
      'analysis-settings': JSON.stringify({ flushIntervalMs: 200, tickIntervalMs: 300 }),
      'team-analysis-poll-ms': '100',
      'team-analysis-lease-ms': '1500',
      'team-analysis-checkpoint-ms': '300',
    };
    for (const shard of cluster.shards) {
      collectors.push(await startRealCollector({ workspace: ws.dir, flags, store: { kind: 'clickhouse', url: shard.url, database: 'vibewatch', cluster: cluster.name } }));
    }
    await eventually('one holder and one standby', async () => [role(collectors[0]), role(collectors[1])].sort().join() === 'active,standby', 20_000, () => JSON.stringify(collectors.map((c) => c.events.filter((e) => String(e.event).startsWith('team') || String(e.event).includes('fail')))));
    const holder = collectors.find((c) => role(c) === 'active')!;
    const standby = collectors.find((c) => c !== holder)!;

    const sent = await send(collectors.map((c) => c.url), ws.file, 8, deployed);
    await eventually('the alert fired', async () => firing().length >= 1, 30_000, () => JSON.stringify(hooks));
    // Both halves of the stream are counted, once, by the one analysis.
    await eventually('the error group counts both collectors\' errors', async () => {
      const groups = await holder.client.request('errors', {});
      return groups.length === 1 && groups[0].count === sent / 2;
    }, 20_000, () => 'errors');
    await eventually('the holder\'s lens counts every call once', async () => (await holder.client.request('fileSummary', { file: ws.file })).lines.find((l) => l.line === 42 && l.kind === 'span')?.calls === sent, 20_000);
    // Several ticks later: still one alert, one webhook, and the standby sent none of its own.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(firing().length, 1, JSON.stringify(hooks));
    assert.equal(firing()[0].alert?.ruleId, 'orders-errors');
    assert.equal((await holder.client.request('alerts', { state: 'firing' })).length, 1);
    assert.deepEqual(await standby.client.request('alerts', {}), []);
    // The standby answers the lens from ClickHouse with the same figures.
    assert.equal((await standby.client.request('fileSummary', { file: ws.file })).lines.find((l) => l.line === 42 && l.kind === 'span')?.calls, sent);
    // One status page for the team, whichever collector a user reaches.
    let lastPages = '';
    const page = async (c: RealCollector) => {
      // What a reader sees, without the minutes counted since (the standby's copy is up to 2 s old).
      const raw = (await (await fetch(`${c.url}/status.json`)).json()) as { overall?: string; components?: { id: string; status: string }[]; incidents?: unknown[] };
      const p = { overall: raw.overall, components: raw.components?.map((x) => [x.id, x.status]), incidents: raw.incidents };
      lastPages = `${lastPages.slice(-3000)}\n${c === holder ? 'holder' : 'standby'}: ${JSON.stringify(p)}`;
      return p;
    };
    await eventually('the standby serves the holder\'s status page', async () => JSON.stringify(await page(standby)) === JSON.stringify(await page(holder)), 20_000, () => lastPages);
    assert.notEqual((await page(holder)).overall, 'operational');
    // The AI diffs ranked by production behaviour need the analysis: the holder's, on both.
    let lastDiffs = '';
    const holderDiffs = await eventually('the AI diff measured on the holder', async () => {
      const r = await holder.client.request('repoAiDiffs', {});
      lastDiffs = JSON.stringify(r);
      return r.diffs.some((d) => d.calls === sent) ? r : undefined;
    }, 20_000, () => lastDiffs);
    await eventually('the standby serves the holder\'s AI-diff figures', async () => JSON.stringify(await standby.client.request('repoAiDiffs', {})) === JSON.stringify(holderDiffs), 20_000);

    // The holder stops: the standby takes over from the saved checkpoint.
    const before = hooks.length;
    await holder.stop();
    collectors.splice(collectors.indexOf(holder), 1);
    await eventually('the standby took over', async () => role(standby) === 'active', 20_000);
    const more = await send([standby.url], ws.file, 4, deployed);
    await eventually('the new holder counts on from the checkpoint', async () => {
      const groups = await standby.client.request('errors', {});
      return groups.length === 1 && groups[0].count === (sent + more) / 2;
    }, 20_000);
    await eventually('its lens too', async () => (await standby.client.request('fileSummary', { file: ws.file })).lines.find((l) => l.line === 42 && l.kind === 'span')?.calls === sent + more, 20_000);
    // The per-revision cells came with the checkpoint: the AI diff's figures count on as well.
    await eventually('the AI diff measured on from the checkpoint', async () => (await standby.client.request('repoAiDiffs', {})).diffs.some((d) => d.calls === sent + more), 20_000);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(firing().length, 1, `the alert still firing was not raised again: ${JSON.stringify(hooks.slice(before))}`);
    assert.equal((await standby.client.request('alerts', { state: 'firing' })).length, 1);
  });
});
