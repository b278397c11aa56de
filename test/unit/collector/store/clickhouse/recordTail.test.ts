// Reading the team's stored records back (store/clickhouse/recordTail.ts) against a real
// clickhouse-server: each record comes back once, in its collector's order, as the batch the
// series and the analysis would have folded on the ingest path; rows of a round that has no
// progress row yet are not given out; saved cursors resume without a repeat or a gap.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { revisionOf } from '../../../../../collector/model/revision';
import { msToNs } from '../../../../../collector/model/time';
import type { MetricPoint, TelemetryBatch } from '../../../../../collector/model/types';
import { ClickHouseStore } from '../../../../../collector/store/clickhouse/clickhouseStore';
import { toRowBatch, type RowBatch } from '../../../../../collector/store/rows';
import { chQuery, startClickHouse, type ClickHouseServer } from '../../../../harness/clickhouse';
import { RESOURCE, makeBatch, makeGauge, makeLog, makeTrace, spanBatch } from '../batches';

/** The row form without its sequence: what the series fold and the journal hold. */
const rows = (b: TelemetryBatch): Omit<RowBatch, 'q'> => {
  const { q: _q, ...rest } = toRowBatch(b);
  return rest;
};

describe('RecordTail: the team analysis reads every stored record once, in order (real clickhouse-server)', function () {
  this.timeout(120_000);
  let ch: ClickHouseServer;
  let n = 0;
  const stores: ClickHouseStore[] = [];
  const dirs: string[] = [];
  const now = Date.now();

  before(async () => { ch = await startClickHouse(); });
  after(async () => { await ch?.stop(); });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.shutdown();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  async function open(database: string): Promise<ClickHouseStore> {
    const dir = mkdtempSync(join(tmpdir(), 'vw-tail-'));
    dirs.push(dir);
    const s = new ClickHouseStore({ url: ch.url, database, dir, log: () => undefined, retryBackoffMs: 50, insertMaxRows: 40 });
    await s.start();
    stores.push(s);
    return s;
  }

  it('gives back a record as the ingest path folded it: spans, events, locations, logs and metric points', async () => {
    const s = await open(`vw_tail_${process.pid}_${++n}`);
    const spans = makeTrace({ startMs: now - 5_000, error: true, durMs: 37.25, children: 3 });
    spans[1].issuedFrom = spans[0].location;
    delete spans[1].location;
    spans[2].location = { ...spans[2].location!, nested: true };
    spans[0].resource = { ...RESOURCE, attributes: { ...RESOURCE.attributes, 'vcs.ref.head.revision': 'a'.repeat(40) }, revision: 'a'.repeat(40) };
    spans[0].attributes['tags'] = ['x', 1, true];
    const counter: MetricPoint = { kind: 'sum', metric: 'orders.created', attributes: { shop: 'main' }, timeNs: msToNs(now - 4_000), value: 12, temporality: 'cumulative', monotonic: true, resource: RESOURCE, scope: { name: 'm' } };
    const histogram: MetricPoint = { kind: 'histogram', metric: 'http.server.duration', unit: 'ms', attributes: { route: '/a' }, timeNs: msToNs(now - 4_000), temporality: 'delta', count: 3, sum: 30, min: 5, max: 15, bounds: [10, 20], bucketCounts: [1, 2, 0], resource: RESOURCE, scope: { name: 'm' } };
    const batch = makeBatch({
      spans,
      logs: [makeLog({ timeMs: now - 4_500, traceId: spans[0].traceId, severity: 17, body: 'order "42" failed\nagain', file: '/work/shop/src/orders.ts' })],
      metrics: [makeGauge(now - 4_000, 3), counter, histogram],
    });
    // Resources as the receiver makes them: the revision read from the attributes.
    for (const item of [...batch.spans, ...batch.logs, ...batch.metrics]) if (!item.resource.revision) item.resource = { ...item.resource, revision: revisionOf(item.resource.attributes) };
    await s.consume(batch);
    await s.flushed();
    const tail = s.recordTail();
    const got = await tail.poll();
    assert.equal(got.length, 1);
    assert.equal(got[0].origin, s.originId);
    assert.deepEqual(rows(got[0].batch), rows(batch));
    // What the analysis reads beyond the rows: the exception event and the span status.
    const root = got[0].batch.spans.find((x) => x.spanId === spans[0].spanId)!;
    assert.equal(root.events[0].attributes['exception.type'], 'TypeError');
    assert.deepEqual(root.status, spans[0].status);
    assert.equal(root.resource.revision, 'a'.repeat(40));
    assert.equal(root.endNs - root.startNs, spans[0].endNs - spans[0].startNs);
    assert.deepEqual(await tail.poll(), []);
  });

  it('two collectors: every record once, each collector in order; saved cursors resume', async () => {
    const database = `vw_tail_${process.pid}_${++n}`;
    const a = await open(database);
    const b = await open(database);
    const tail = a.recordTail(7);
    const seen: string[] = [];
    const lastSeq = new Map<string, number>();
    const drain = async (t: ReturnType<ClickHouseStore['recordTail']>) => {
      for (let recs = await t.poll(); recs.length; recs = await t.poll()) {
        for (const r of recs) {
          assert.ok(r.seq > (lastSeq.get(r.origin) ?? 0), `${r.origin} ${r.seq} after ${lastSeq.get(r.origin)}`);
          lastSeq.set(r.origin, r.seq);
          for (const sp of r.batch.spans) seen.push(sp.spanId);
        }
      }
    };
    for (let i = 0; i < 15; i++) {
      await a.consume(spanBatch(now + i, 2));
      await b.consume(spanBatch(now + i, 3));
      if (i % 5 === 4) await drain(tail);
    }
    await a.flushed();
    await b.flushed();
    // A new tail from the saved cursors (a restarted or a new holder) reads only the rest.
    const resumed = b.recordTail(5);
    resumed.restoreCursors(JSON.parse(JSON.stringify(tail.saveCursors())));
    await drain(resumed);
    assert.equal(seen.length, 15 * 2 * 3 + 15 * 3 * 3);
    assert.equal(new Set(seen).size, seen.length);
    assert.deepEqual(await resumed.poll(), [], 'nothing left past the cursors');
  });

  it('does not give out rows of a round whose progress row is not written yet', async () => {
    const database = `vw_tail_${process.pid}_${++n}`;
    const s = await open(database);
    await s.consume(spanBatch(now, 1));
    await s.flushed();
    const tail = s.recordTail();
    assert.equal((await tail.poll()).length, 1);
    // A round half-way: its span rows are in, its progress row is not.
    const origin = 'ffffffffffffffff';
    await chQuery(ch.url, `INSERT INTO ${database}.spans (day, time, time_ns, origin, seq, ix, trace_id, span_id, name, service, dur_ms, attr_keys, attr_values)
      VALUES (today(), now(), toUInt64(now()) * 1000000000, '${origin}', 1, 0, 'aaaa', 'bbbb', 'half', 'shop', 5, [], [])`);
    assert.deepEqual(await tail.poll(), []);
    await chQuery(ch.url, `INSERT INTO ${database}.ingest_progress VALUES (today(), '${origin}', 1, now())`);
    const got = await tail.poll();
    assert.deepEqual(got.map((r) => [r.origin, r.seq, r.batch.spans[0].name]), [[origin, 1, 'half']]);
  });
});
