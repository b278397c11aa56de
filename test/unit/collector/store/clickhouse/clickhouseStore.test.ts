// The ClickHouse store against a real clickhouse-server (test/harness/clickhouse.ts): what is
// acknowledged is queryable, the schema is migrated from an older version, retention drops
// whole days, state round-trips, and a crash after the acknowledgement replays each row once.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseStore, type ClickHouseStoreOptions } from '../../../../../collector/store/clickhouse/clickhouseStore';
import { clusterFileSummary } from '../../../../../collector/store/clickhouse/clusterSummary';
import { ChConn } from '../../../../../collector/store/clickhouse/conn';
import { migrate, SCHEMA_VERSION, schemaVersion } from '../../../../../collector/store/clickhouse/schema';
import { toRowBatch } from '../../../../../collector/store/rows';
import { chQuery, startClickHouse, type ClickHouseServer } from '../../../../harness/clickhouse';
import { makeBatch, makeGauge, makeLog, makeTrace, spanBatch } from '../batches';

describe('ClickHouseStore (real clickhouse-server)', function () {
  this.timeout(120_000);
  let ch: ClickHouseServer;
  let dbN = 0;
  const open: ClickHouseStore[] = [];
  const dirs: string[] = [];
  const now = Date.now();

  before(async () => { ch = await startClickHouse(); });
  after(async () => { await ch?.stop(); });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.shutdown();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const newDb = () => `vw_test_${process.pid}_${++dbN}`;
  const newDir = () => { const d = mkdtempSync(join(tmpdir(), 'vw-chstore-')); dirs.push(d); return d; };
  async function openStore(o: Partial<ClickHouseStoreOptions> & { database: string; dir: string }): Promise<ClickHouseStore> {
    const s = new ClickHouseStore({ url: ch.url, log: () => undefined, retryBackoffMs: 50, ...o });
    await s.start();
    open.push(s);
    return s;
  }
  const count = async (sql: string) => Number((await chQuery(ch.url, sql)).trim());

  it('stores spans, logs and metric points and answers trace, traces, logs, fileSummary and stats', async () => {
    const database = newDb();
    const s = await openStore({ database, dir: newDir() });
    const spans = makeTrace({ startMs: now, error: true, children: 2 });
    const log = makeLog({ timeMs: now + 3, traceId: spans[0].traceId, severity: 17, body: 'order failed: "42"', attrs: { 'order.id': '42' } });
    await s.consume(makeBatch({ spans, logs: [log], metrics: [makeGauge(now, 7)] }));
    await s.consume(spanBatch(now + 100, 5));
    await s.flushed();
    const got = await s.trace(spans[0].traceId);
    assert.equal(got.length, 3);
    const root = got.find((v) => v.spanId === spans[0].spanId)!;
    assert.equal(root.parentSpanId, undefined);
    assert.equal(root.attributes['net.peer.port'], '51234');
    assert.equal(root.attributes['http.response.status_code'], 500);
    assert.equal(root.statusMessage, 'boom');
    assert.equal(root.events[0].name, 'exception');
    assert.deepEqual(root.location, { file: '/work/shop/src/orders.ts', line: 12, function: 'getOrder', via: 'attribute', confidence: 1 });
    assert.equal(root.durationMs, 20);
    assert.ok(Math.abs(root.startMs - now) < 0.001);
    const traces = await s.traces({ status: 'error' });
    assert.deepEqual(traces.map((t) => t.traceId), [spans[0].traceId]);
    assert.equal(traces[0].spanCount, 3);
    assert.equal(traces[0].rootName, 'GET /orders/:id');
    assert.equal((await s.traces({})).length, 6);
    assert.equal((await s.traces({ text: 'CANNOT READ' })).length, 1);
    assert.equal((await s.traces({ minDurationMs: 1000 })).length, 0);
    const logs = await s.logs({ traceId: spans[0].traceId });
    assert.equal(logs.length, 1);
    assert.equal(logs[0].body, 'order failed: "42"');
    assert.equal(logs[0].resource['service.name'], 'shop');
    assert.equal((await s.logs({ attribute: { key: 'order.id', value: '42' } })).length, 1);
    assert.equal((await s.logs({ attribute: { key: 'order.id', value: '43' } })).length, 0);
    assert.equal((await s.logs({ text: "failed: \"4" })).length, 1);
    const summary = await s.fileSummary('/work/shop/src/orders.ts');
    assert.equal(summary.lines.find((l) => l.line === 12 && l.kind === 'span')!.calls, 6);
    const st = await s.stats();
    assert.deepEqual([st.spans, st.logs, st.metricPoints, st.pendingRaw], [3 + 15, 1, 1, 0]);
    assert.equal(await count(`SELECT count() FROM ${database}.spans WHERE origin = '${s.originId}'`), 18);
  });

  it('keeps hostile strings as data (quotes, backslashes, SQL) in filters and rows', async () => {
    const s = await openStore({ database: newDb(), dir: newDir() });
    const evil = `x'); DROP TABLE spans; --\\' \n\t\0`;
    const spans = makeTrace({ startMs: now, route: evil });
    await s.consume(makeBatch({ spans, logs: [makeLog({ timeMs: now, body: evil, attrs: { [evil]: evil } })] }));
    await s.flushed();
    assert.equal((await s.traces({ route: evil })).length, 1);
    assert.equal((await s.traces({ text: evil })).length, 1);
    const logs = await s.logs({ attribute: { key: evil, value: evil } });
    assert.equal(logs[0].body, evil);
    assert.equal((await s.trace(spans[0].traceId))[0].attributes['http.route'], evil);
  });

  it('round-trips state, last write wins, undefined deletes, clear empties everything', async () => {
    const s = await openStore({ database: newDb(), dir: newDir() });
    await s.putState('analysis', { a: 1 });
    await s.putState('analysis', { a: 2, list: ['x'] });
    assert.deepEqual(await s.getState('analysis'), { a: 2, list: ['x'] });
    await s.putState('analysis', undefined);
    assert.equal(await s.getState('analysis'), undefined);
    await s.putState('git', { b: true });
    await s.consume(spanBatch(now, 3));
    await s.flushed();
    await s.clear();
    assert.equal(await s.getState('git'), undefined);
    assert.equal((await s.stats()).spans, 0);
    assert.deepEqual((await s.fileSummary('/work/shop/src/orders.ts')).lines, []);
    await s.consume(spanBatch(now, 1));
    await s.flushed();
    assert.equal((await s.stats()).spans, 3);
  });

  it('migrates a database of schema version 1 and keeps its rows; refuses a newer one', async () => {
    const database = newDb();
    const conn = new ChConn({ url: ch.url });
    await migrate(conn, { database, upTo: 1 });
    assert.equal(await schemaVersion(conn, database), 1);
    await chQuery(ch.url, `INSERT INTO ${database}.spans (day, time, time_ns, origin, seq, ix, trace_id, span_id, name, service, dur_ms, attr_keys, attr_values)
      VALUES (today(), now(), toUInt64(now()) * 1000000000, 'old', 1, 0, 'aaaa', 'bbbb', 'old span', 'shop', 5, ['k'], ['"v"'])`);
    const s = await openStore({ database, dir: newDir() });
    assert.equal(await schemaVersion(conn, database), SCHEMA_VERSION);
    const old = await s.trace('aaaa');
    assert.equal(old[0].name, 'old span');
    assert.deepEqual(old[0].attributes, { k: 'v' });
    assert.match(await chQuery(ch.url, `SELECT name FROM system.columns WHERE database = '${database}' AND table = 'spans' AND name = 'http_method'`), /http_method/);
    await s.consume(spanBatch(now, 1));
    await s.flushed();
    assert.equal((await s.stats()).spans, 4);
    await chQuery(ch.url, `INSERT INTO ${database}.schema_version VALUES (99, now())`);
    const newer = new ClickHouseStore({ url: ch.url, database, dir: newDir(), log: () => undefined });
    await assert.rejects(newer.start(), new RegExp(`schema version 99, newer than this collector's \\(${SCHEMA_VERSION}\\)`));
    await newer.abort();
    await conn.close();
  });

  it('drops whole days past the retention and keeps the rest', async () => {
    const database = newDb();
    const s = await openStore({ database, dir: newDir(), limits: { rawMaxAgeMs: 24 * 3_600_000 } });
    const day = 86_400_000;
    await s.consume(spanBatch(now - 3 * day, 2));
    await s.consume(makeBatch({ logs: [makeLog({ timeMs: now - 3 * day })], metrics: [makeGauge(now - 3 * day, 1)] }));
    await s.consume(spanBatch(now, 1));
    await s.flushed();
    const oldDay = new Date(now - 3 * day).toISOString().slice(0, 10);
    const parts = () => chQuery(ch.url, `SELECT DISTINCT partition FROM system.parts WHERE active AND database = '${database}' ORDER BY partition`);
    assert.match(await parts(), new RegExp(oldDay));
    await s.enforceRetention(now);
    assert.doesNotMatch(await parts(), new RegExp(oldDay));
    const st = await s.stats();
    assert.deepEqual([st.spans, st.logs, st.metricPoints], [3, 0, 0]);
  });

  it('after a crash past the acknowledgement, replays the journal into ClickHouse exactly once', async () => {
    const database = newDb();
    const dir = newDir();
    for (let round = 0; round < 4; round++) {
      const s = new ClickHouseStore({ url: ch.url, database, dir, log: () => undefined, retryBackoffMs: 50, insertMaxRows: 50 });
      await s.start();
      for (let i = 0; i < 10; i++) await s.consume(spanBatch(now + round * 1000 + i, 4));
      // Crash at a different point of the insert backlog each round.
      await new Promise((r) => setTimeout(r, round * 15));
      await s.abort();
    }
    const s = await openStore({ database, dir });
    await s.flushed();
    assert.equal(await count(`SELECT count() FROM ${database}.spans`), 4 * 10 * 4 * 3);
    assert.equal(await count(`SELECT count() FROM (SELECT span_id FROM ${database}.spans GROUP BY span_id HAVING count() > 1)`), 0);
    // The lens (computed by ClickHouse: no team analysis folded the series) counts each span once too.
    const line = (await s.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12 && l.kind === 'span')!;
    assert.equal(line.calls, 4 * 10 * 4);
  });

  /** What the team analysis does with the stored records: fold each into the series. */
  async function foldTail(s: ClickHouseStore): Promise<number> {
    const tail = s.recordTail();
    let n = 0;
    for (let recs = await tail.poll(); recs.length; recs = await tail.poll()) {
      for (const r of recs) {
        s.series.addNext(toRowBatch(r.batch));
        n++;
      }
    }
    s.seriesCurrent = true;
    return n;
  }

  it('the lens computed by ClickHouse agrees with the series folded from the stored records', async () => {
    const database = newDb();
    const s = await openStore({ database, dir: newDir() });
    const file = '/work/shop/src/orders.ts';
    // Oldest first, as traffic arrives (the series' recent traces are the last received).
    for (let i = 11; i >= 0; i--) {
      const spans = makeTrace({ startMs: now - i * 61_000, error: i % 4 === 0, durMs: 10 + i * 7 });
      await s.consume(makeBatch({ spans, logs: [makeLog({ timeMs: now - i * 61_000, traceId: spans[0].traceId, severity: i % 3 === 0 ? 17 : 9, file })] }));
    }
    await s.flushed();
    assert.equal(await foldTail(s), 12);
    const conn = new ChConn({ url: ch.url });
    const fromCh = await clusterFileSummary(conn, `${database}.spans`, `${database}.logs`, file, Date.now(), 24 * 3_600_000);
    await conn.close();
    const fromSeries = await s.fileSummary(file);
    const shape = (f: typeof fromCh) => f.lines.map((l) => ({ line: l.line, kind: l.kind, calls: l.calls, errors: l.errors, fn: l.function, sev: l.logsBySeverity, perMinute: l.perMinute, recent: [...l.recentTraceIds].sort(), names: l.names }));
    assert.deepEqual(shape(fromCh), shape(fromSeries));
    const p95 = (f: typeof fromCh) => f.lines.find((l) => l.line === 12 && l.kind === 'span')!.p95Ms!;
    assert.ok(Math.abs(p95(fromCh) - p95(fromSeries)) / p95(fromSeries) < 0.1, `p95 ${p95(fromCh)} vs ${p95(fromSeries)}`);
  });

  it('refuses new batches (503) once too much waits for a ClickHouse that is down, and takes them again when it is back', async () => {
    const own = await startClickHouse();
    try {
      const database = newDb();
      const s = await openStore({ url: own.url, database, dir: newDir(), maxPendingRows: 40, requestTimeoutMs: 3000 });
      await own.kill();
      let accepted = 0;
      let refused: Error | undefined;
      for (let i = 0; i < 20 && !refused; i++) {
        try {
          await s.consume(spanBatch(now + i, 4));
          accepted++;
        } catch (err) {
          refused = err as Error;
        }
      }
      assert.match(String(refused?.message), /ClickHouse is behind \(\d+ rows, \d+ MiB waiting to be inserted, failing since/);
      assert.ok(accepted >= 4 && accepted < 20, `accepted ${accepted}`);
      await own.restart();
      await s.flushed();
      await s.consume(spanBatch(now + 100, 4));
      await s.flushed();
      assert.equal(Number((await chQuery(own.url, `SELECT count() FROM ${database}.spans`)).trim()), (accepted + 1) * 12);
    } finally {
      await own.stop();
    }
  });

  it('fails to start with the flag named when ClickHouse is unreachable', async () => {
    const s = new ClickHouseStore({ url: 'http://127.0.0.1:1', database: 'vw', dir: newDir(), log: () => undefined, requestTimeoutMs: 2000 });
    await assert.rejects(s.start(), /ClickHouse at http:\/\/127\.0\.0\.1:1 \(--clickhouse-url\) cannot be reached/);
    await s.abort();
  });
});
