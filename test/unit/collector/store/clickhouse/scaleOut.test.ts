// Scale-out: two ingest collectors in front of a two-shard ClickHouse cluster (two server
// processes, one `remote_servers` entry, `Distributed` tables made by the store with
// `--clickhouse-cluster`). The same stream of real OTel exports is split between them; every
// acknowledged span is stored once (counted through the Distributed table), and either
// collector answers for the whole team (traces and the lens from ClickHouse).
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { chQuery, startClickHouseCluster, type ClickHouseCluster } from '../../../../harness/clickhouse';
import { eventually, startRealCollector, type RealCollector } from '../../../../harness/realCollector';
import { shopWorkspace, stream } from './otelStream';

describe('two ingest collectors on a two-shard ClickHouse cluster', function () {
  this.timeout(180_000);
  let cluster: ClickHouseCluster;
  let ws: { dir: string; file: string };
  const collectors: RealCollector[] = [];
  before(async () => { cluster = await startClickHouseCluster(2); ws = shopWorkspace(); });
  after(async () => {
    for (const c of collectors) await c.stop();
    await cluster?.stop();
    rmSync(ws.dir, { recursive: true, force: true });
  });

  it('stores every acknowledged span of a split stream exactly once, and each collector reads the whole cluster', async () => {
    const database = 'vibewatch';
    for (const shard of cluster.shards) {
      collectors.push(await startRealCollector({ workspace: ws.dir, store: { kind: 'clickhouse', url: shard.url, database, cluster: cluster.name } }));
    }
    const r = await stream(collectors.map((c) => c.url), ws.file, 40, 10, 4);
    assert.equal(r.failed, 0);
    assert.equal(r.acknowledged.size, 40 * 10 * 2);
    const [a, b] = cluster.shards;
    const count = async (url: string, sql: string) => Number((await chQuery(url, sql)).trim());
    await eventually('every acknowledged span through the Distributed table', async () => (await count(a.url, `SELECT count() FROM ${database}.spans`)) >= r.acknowledged.size, 60_000);
    const ids = (await chQuery(b.url, `SELECT span_id FROM ${database}.spans`)).trim().split('\n');
    assert.equal(ids.length, r.acknowledged.size, 'no span stored twice');
    assert.deepEqual(new Set(ids), r.acknowledged);
    // Each shard holds what its collector received: half the stream each.
    assert.equal(await count(a.url, `SELECT count() FROM ${database}.spans_local`), r.acknowledged.size / 2);
    assert.equal(await count(b.url, `SELECT count() FROM ${database}.spans_local`), r.acknowledged.size / 2);
    // Either collector answers for the team: the lens and the traces come from the cluster.
    for (const c of collectors) {
      // The analysis holder answers from the series it folds from both shards (within a poll),
      // the other collector from the Distributed tables.
      const line = await eventually('the whole team in the lens', async () => {
        const l = (await c.client.request('fileSummary', { file: ws.file })).lines.find((x) => x.line === 42 && x.kind === 'span');
        return l?.calls === 400 ? l : undefined;
      }, 20_000);
      assert.equal(line?.calls, 400);
      assert.equal(line?.perMinute.reduce((x, y) => x + y, 0), 400);
      assert.ok(line!.p95Ms! >= 0 && line!.recentTraceIds.length === 5);
      assert.equal((await c.client.request('traces', { limit: 1000 })).length, 400);
      assert.equal((await c.client.request('stats', {})).stored!.spans, 800);
    }
  });
});
