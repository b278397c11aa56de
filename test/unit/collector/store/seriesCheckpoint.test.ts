// The store's one checkpoint of the time series (collector/timeseries): lens lines, endpoint
// and location minute series, per-revision cells. Every acknowledged batch is counted exactly
// once in all three after a crash (journal records past the checkpoint's `lastSeq` are folded
// again, those before it are not); an old checkpoint is migrated; one it cannot read is set
// aside with the reason and the store starts.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind, StatusCode, emptyBatch, type Resource, type Span } from '../../../../collector/model/types';
import { msToNs } from '../../../../collector/model/time';
import { revisionKey } from '../../../../collector/timeseries/seriesKey';
import type { SqlStore } from '../../../../collector/store/sqlStore';
import { harness, type Harness } from './storeHarness';

const FILE = '/work/shop/src/orders.ts';
const REV = 'abc1234';
const resource: Resource = { serviceName: 'shop', attributes: { 'service.name': 'shop', 'vcs.ref.head.revision': REV }, revision: REV };
let n = 0;
const id = (len: number) => (++n).toString(16).padStart(len, '0');

/** `count` requests to GET /orders served at FILE:10, every fourth answered 503 (status unset). */
function requests(startMs: number, count: number) {
  const b = emptyBatch();
  for (let i = 0; i < count; i++) {
    const at = startMs + i * 50;
    const dur = 10 + (i % 7) * 5;
    const span: Span = {
      traceId: id(32), spanId: id(16), name: 'GET /orders', kind: SpanKind.Server, startNs: msToNs(at), endNs: msToNs(at + dur),
      status: { code: StatusCode.Unset }, attributes: { 'http.route': '/orders', 'http.request.method': 'GET', 'http.response.status_code': i % 4 === 0 ? 503 : 200 },
      events: [], links: [], resource, scope: { name: 't' }, location: { file: FILE, line: 10, via: 'attribute', confidence: 1 },
    };
    b.spans.push(span);
  }
  return b;
}

function figures(store: SqlStore, nowMs: number) {
  const s = store.series;
  const line = s.lines.summary(FILE, nowMs, 3_600_000).lines.find((l) => l.line === 10)!;
  const ep = s.spans.get('ep|shop|GET /orders')!.window(0, Infinity);
  const loc = s.spans.get(`loc|shop|${FILE}:10`)!.window(0, Infinity);
  const rev = [...s.revisions.inFile(FILE)].find((c) => c.revision === REV && c.role === 'own')!;
  return {
    line: [line.calls, line.errors, line.p95Ms],
    endpoint: [ep.count, ep.errors, ep.hist.quantile(0.95)],
    location: [loc.count, loc.errors, loc.hist.quantile(0.95)],
    revision: [rev.cell.count, rev.cell.errors, rev.cell.hist.quantile(0.95)],
  };
}

describe('the time-series checkpoint of the store', () => {
  let h: Harness;
  const now = Date.now();
  beforeEach(() => (h = harness()));
  afterEach(() => h.cleanup());

  it('counts every acknowledged batch once in the lens, the baselines and the revision cells after a crash', async () => {
    const store = await h.open();
    // Minute histograms saved as they are (the analysis default coarsens them 4× to keep the
    // checkpoint small, which moves a restored p95 by up to ~4 %).
    store.series.spans.configure({ persistCoarsen: 1, persistFullMinutes: 60 });
    await store.consume(requests(now - 120_000, 40));
    await store.checkpoint();
    await store.consume(requests(now - 60_000, 20)); // only in the journal when the crash comes
    const live = figures(store, now);
    assert.deepEqual(live.line.slice(0, 2), [60, 15]);
    await h.crash(store);

    const back = await h.open();
    const restored = figures(back, now);
    assert.deepEqual(restored, live, 'the same figures, nothing lost, nothing twice');
    assert.deepEqual(restored.endpoint, restored.line, 'endpoint and lens agree (one server span per request at the line)');
    assert.deepEqual(restored.location, restored.line);
    assert.deepEqual(restored.revision, restored.line, 'before/after counts the line as the lens does');
  });

  it('migrates a version 1 checkpoint (lines kept, the other series start empty)', async () => {
    const store = await h.open();
    await store.consume(requests(now - 60_000, 8));
    await store.shutdown();
    const path = join(h.dir, 'aggregates.json');
    const v2 = JSON.parse(readFileSync(path, 'utf8')) as { lastSeq: number; lines: { f: string; l: number; k: string; names: unknown; recent: unknown; last: number; min: [number, number[]][]; hrs: [number, [number, number, number, number, unknown], unknown][] }[] };
    const files = v2.lines.map((l) => ({ ...l, min: l.min.map(([t, c]) => [t, ...c.slice(0, 4)]), hrs: l.hrs.map(([t, c, sev]) => [t, c[0], c[1], c[4], sev]) }));
    writeFileSync(path, JSON.stringify({ version: 1, lastSeq: v2.lastSeq, savedAt: now, files }));

    const back = await h.open();
    assert.ok(h.logs.some((l) => l.event === 'store.checkpointMigrated' && l.fields.from === 1));
    const line = back.series.lines.summary(FILE, now, 3_600_000).lines[0];
    assert.deepEqual([line.calls, line.errors], [8, 2]);
    assert.ok(line.p95Ms! >= 35 && line.p95Ms! <= 41, String(line.p95Ms));
    assert.equal(back.series.revisions.has(revisionKey('own', FILE, 10, REV)), false);
  });

  it('sets aside a checkpoint of an unknown version, says why, and starts', async () => {
    writeFileSync(join(h.dir, 'aggregates.json'), JSON.stringify({ version: 99, lastSeq: 5, lines: [] }));
    const store = await h.open();
    const why = h.logs.find((l) => l.event === 'store.fileUnreadable');
    assert.match(String(why?.fields.message), /version 99/);
    assert.ok(existsSync(join(h.dir, 'aggregates.json.bad')));
    assert.equal(store.series.lastSeq, 0);
    await store.consume(requests(now - 1000, 3));
    assert.equal(store.series.lines.summary(FILE, now, 3_600_000).lines[0].calls, 3);
  });
});
