// The collector with `--store clickhouse` end to end: the official OTel exporters send to the
// real collector (startRealCollector), which stores in a real clickhouse-server; what a user
// reads (traces, trace, logs, fileSummary, stats over /live) comes from ClickHouse. And the
// promise of the acknowledgement: ClickHouse killed and restarted mid-ingest, or the
// collector killed with -9 after acknowledging, loses no acknowledged span and stores none twice.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chQuery, startClickHouse, type ClickHouseServer } from '../../../../harness/clickhouse';
import { eventually, startRealCollector } from '../../../../harness/realCollector';
import { ExportResultCode, makeLogs, makeMetrics, makeSpans, sendLogs, sendMetrics, sendSpans } from '../../server/otelPayloads';
import { shopWorkspace, stream } from './otelStream';

const ROOT = join(__dirname, '../../../../..');

describe('team collector on ClickHouse (official exporters, real clickhouse-server)', function () {
  this.timeout(180_000);
  let ch: ClickHouseServer;
  let n = 0;
  let ws: { dir: string; file: string };
  before(async () => { ch = await startClickHouse(); ws = shopWorkspace(); });
  after(async () => { await ch?.stop(); rmSync(ws.dir, { recursive: true, force: true }); });
  const db = () => `vw_team_${process.pid}_${++n}`;
  const count = async (sql: string) => Number((await chQuery(ch.url, sql)).trim());

  it('stores spans, logs and metrics, answers traces, trace, logs and stats from ClickHouse, and refuses Clear Data', async () => {
    const database = db();
    const c = await startRealCollector({ store: { kind: 'clickhouse', url: ch.url, database } });
    try {
      const spans = await makeSpans();
      assert.equal((await sendSpans(c.url, 'protobuf', spans)).code, ExportResultCode.SUCCESS);
      const root = spans.find((s) => !s.parentSpanContext)!;
      const traceId = root.spanContext().traceId;
      assert.equal((await sendLogs(c.url, 'json', await makeLogs({ traceId, spanId: root.spanContext().spanId }))).code, ExportResultCode.SUCCESS);
      assert.equal((await sendMetrics(c.url, 'protobuf', await makeMetrics())).code, ExportResultCode.SUCCESS);
      await eventually('rows in ClickHouse', async () => (await count(`SELECT count() FROM ${database}.spans`)) === 3 && (await count(`SELECT count() FROM ${database}.logs`)) === 2
        && (await count(`SELECT count() FROM ${database}.metric_points`)) >= 4);
      const traces = await c.client.request('traces', {});
      assert.deepEqual(traces.map((t) => [t.traceId, t.spanCount, t.errorCount, t.rootName]), [[traceId, 3, 1, 'GET /orders/:id']]);
      const got = await c.client.request('trace', { traceId });
      const db = got.find((s) => s.name === 'SELECT orders')!;
      assert.equal(db.attributes['db.rows'], 3);
      assert.deepEqual(db.attributes.tags, ['a', 'b']);
      assert.equal(db.events[0].name, 'rows fetched');
      const logs = await c.client.request('logs', { traceId });
      assert.deepEqual(logs.map((l) => l.body), ['payment failed for order 17']);
      const stats = await c.client.request('stats', {});
      assert.deepEqual(stats.stored, { spans: 3, logs: 2, metrics: stats.stored!.metrics });
      assert.ok(stats.stored!.metrics >= 4, `metric points stored: ${stats.stored!.metrics}`);
      // The team's data is not one client's to delete: refused, nothing lost.
      await assert.rejects(c.client.request('clearData', {}), /not available on a team collector/);
      assert.equal(await count(`SELECT count() FROM ${database}.spans`), 3);
    } finally {
      await c.stop();
    }
  });

  it('ClickHouse killed and restarted mid-ingest: every acknowledged span is stored exactly once', async () => {
    const database = db();
    const c = await startRealCollector({ workspace: ws.dir, store: { kind: 'clickhouse', url: ch.url, database } });
    try {
      const r = await stream([c.url], ws.file, 60, 10, 4, async (i) => {
        if (i === 15) await ch.kill();
        if (i === 40) await ch.restart();
      });
      assert.equal(r.failed, 0, 'the journal acknowledged while ClickHouse was down');
      assert.equal(r.acknowledged.size, 60 * 10 * 2);
      await eventually('every acknowledged span in ClickHouse', async () => (await count(`SELECT count() FROM ${database}.spans`)) >= r.acknowledged.size, 60_000);
      const ids = (await chQuery(ch.url, `SELECT span_id FROM ${database}.spans`)).trim().split('\n');
      assert.equal(ids.length, r.acknowledged.size, 'no span stored twice');
      assert.deepEqual(new Set(ids), r.acknowledged);
      assert.ok(c.events.some((e) => e.event === 'clickhouse.insertFailed'), 'the outage was seen');
      assert.ok(c.events.some((e) => e.event === 'clickhouse.insertResumed'));
      // The lens follows the stored records (the team analysis folds them within a poll).
      await eventually('the lens counts every call once', async () => (await c.client.request('fileSummary', { file: ws.file })).lines.find((l) => l.line === 42)?.calls === 600, 30_000);
    } finally {
      await c.stop();
    }
  });

  it('collector killed with -9 after acknowledging, started again: the journal is replayed exactly once', async () => {
    const database = db();
    const storage = mkdtempSync(join(tmpdir(), 'vw-team-kill-'));
    const start = async (): Promise<{ child: ChildProcess; url: string; lines: Record<string, unknown>[] }> => {
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'collector/process/main.ts'), '--port', '0', '--grpc-port', '0', '--storage', storage,
        '--store', 'clickhouse', '--clickhouse-url', ch.url, '--clickhouse-database', database], { stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT });
      const lines: Record<string, unknown>[] = [];
      const rl = createInterface({ input: child.stdout! });
      const listening = new Promise<number>((resolve, reject) => {
        rl.on('line', (l) => {
          const e = JSON.parse(l) as Record<string, unknown>;
          lines.push(e);
          if (e.event === 'listening') resolve(Number(e.port));
          if (e.event === 'start-failed') reject(new Error(l));
        });
        child.once('exit', (code) => reject(new Error(`collector exited ${code}: ${JSON.stringify(lines)}`)));
      });
      return { child, url: `http://127.0.0.1:${await listening}`, lines };
    };
    const kill9 = async (child: ChildProcess) => {
      const gone = new Promise((r) => child.once('exit', r));
      process.kill(child.pid!, 'SIGKILL');
      await gone;
    };
    try {
      const acknowledged = new Set<string>();
      for (let round = 0; round < 3; round++) {
        const p = await start();
        // ClickHouse stopped for part of the rounds, so records are still waiting in the
        // journal when the collector dies; in the others the kill lands mid-insert.
        if (round === 1) await ch.kill();
        const r = await stream([p.url], ws.file, 12, 10, 3);
        for (const id of r.acknowledged) acknowledged.add(id);
        assert.equal(r.failed, 0);
        await kill9(p.child);
        if (round === 1) await ch.restart();
      }
      const p = await start();
      try {
        await eventually('every acknowledged span in ClickHouse', async () => (await count(`SELECT count() FROM ${database}.spans`)) >= acknowledged.size, 60_000);
        await new Promise((r) => setTimeout(r, 500));
        const ids = (await chQuery(ch.url, `SELECT span_id FROM ${database}.spans`)).trim().split('\n');
        assert.equal(ids.length, acknowledged.size, 'no span stored twice');
        assert.deepEqual(new Set(ids), acknowledged);
      } finally {
        const gone = new Promise((r) => p.child.once('exit', r));
        process.kill(p.child.pid!, 'SIGTERM');
        await gone;
      }
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  });

  it('exits with a clear error when ClickHouse cannot be reached at start', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'vw-team-down-'));
    try {
      await assert.rejects(startRealCollector({ storage, store: { kind: 'clickhouse', url: 'http://127.0.0.1:1', database: 'vibewatch' } }), /ClickHouse at http:\/\/127\.0\.0\.1:1 \(--clickhouse-url\) cannot be reached/);
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  });
});
