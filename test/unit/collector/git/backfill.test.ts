// "Before" for a collector that starts after the AI commit shipped: the store (real sql.js
// store, written by an earlier collector whose checkpoint — version 1 — had no per-revision
// cells) holds checkout spans of the revision before the AI commit; a new collector migrates
// the checkpoint and fills "before" from the stored spans at start,
// the AI revision's calls arrive live through the official exporter, and a restart counts
// nothing twice.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind as OtelKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { AiDiffView } from '../../../../collector/git/types';
import { LiveClient } from '../../../../collector/live/client';
import { emptyBatch, SpanKind, StatusCode } from '../../../../collector/model/types';
import { SqlStore } from '../../../../collector/store/sqlStore';
import { TempRepo } from './repo';
import { startRealCollector } from '../../../harness/realCollector';

const BASE = "'use strict';\nasync function checkout(cart, db) {\n  const span = trace('checkout');\n  const total = cart.items.length;\n  return total;\n}\n";
const AI = BASE.replace('  const total = cart.items.length;\n', '  let total = 0;\n  for (const it of cart.items) total += await db.price(it);\n');
const SPAN_LINE = 3;

const startCollector = (storage: string, workspace: string) => startRealCollector({ storage, workspace });

describe('before/after backfilled from stored spans of older revisions', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  let storage: string;
  let base: string;
  let ai: string;
  let file: string;

  before(async () => {
    repo = new TempRepo();
    repo.write('shop.js', BASE);
    base = repo.commit('shop');
    repo.write('shop.js', AI);
    ai = repo.commit('Load item prices\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    file = join(repo.dir, 'shop.js');
    storage = mkdtempSync(join(tmpdir(), 'vw-backfill-'));
    // An earlier run's store: 30 checkouts (10 ms) at the base revision, 30 queries they issued.
    const store = new SqlStore({ dir: storage, worker: false, log: () => undefined });
    await store.start();
    const b = emptyBatch();
    const resource = { attributes: { 'service.name': 'shop', 'vcs.ref.head.revision': base }, serviceName: 'shop', revision: base };
    const t0 = BigInt(Date.now() - 3_600_000) * 1_000_000n;
    for (let i = 0; i < 30; i++) {
      const start = t0 + BigInt(i) * 1_000_000_000n;
      const common = { traceId: i.toString(16).padStart(32, '0'), events: [], links: [], scope: { name: 't' }, resource };
      b.spans.push({ ...common, spanId: (2 * i + 1).toString(16).padStart(16, '0'), name: 'checkout', kind: SpanKind.Internal, startNs: start, endNs: start + 10_000_000n, status: { code: StatusCode.Unset }, attributes: {}, location: { file, line: SPAN_LINE, via: 'attribute', confidence: 1 } });
      b.spans.push({ ...common, spanId: (2 * i + 2).toString(16).padStart(16, '0'), parentSpanId: (2 * i + 1).toString(16).padStart(16, '0'), name: 'SELECT', kind: SpanKind.Client, startNs: start, endNs: start + 1_000_000n, status: { code: StatusCode.Unset }, attributes: { 'db.system': 'sqlite' }, location: { file, line: 4, via: 'attribute', confidence: 1 } });
    }
    await store.consume(b);
    await store.shutdown();
    // What an older collector left: a version 1 checkpoint (lines only, cells in their old shape).
    const ckpt = join(storage, 'aggregates.json');
    type CellJson = [number, number, number, number, object | null];
    const v2 = JSON.parse(readFileSync(ckpt, 'utf8')) as { lastSeq: number; savedAt: number; lines: { min: [number, CellJson][]; hrs: [number, CellJson, unknown][] }[] };
    const empty = { i: [], c: [], zero: 0, count: 0, sum: 0, min: null, max: null };
    const files = v2.lines.map((l) => ({ ...l, min: l.min.map(([t, [c, e, su, m]]) => [t, c, e, su, m]), hrs: l.hrs.map(([t, [c, e, , , h], sev]) => [t, c, e, h ?? empty, sev]) }));
    writeFileSync(ckpt, JSON.stringify({ version: 1, lastSeq: v2.lastSeq, savedAt: v2.savedAt, files }));
  });

  after(() => {
    if (storage) rmSync(storage, { recursive: true, force: true });
    repo?.cleanup();
  });

  const checkout = async (client: LiveClient, want: (d: AiDiffView) => boolean) => {
    for (let i = 0; i < 300; i++) {
      const r = await client.request('aiDiffs', { workspace: repo.dir });
      const d = r.diffs.find((x) => x.commit === ai);
      if (d && want(d)) return d.runtime!.units!.find((u) => u.name === 'checkout')!;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('timed out waiting for the AI diff figures');
  };

  it('fills "before" at start, measures "after" live, and counts nothing twice after a restart', async () => {
    const first = await startCollector(storage, repo.dir);
    try {
      assert.ok(first.events.some((l) => l.event === 'store.checkpointMigrated' && l.from === 1), 'the old checkpoint is migrated, not set aside');
      assert.ok(first.events.some((l) => l.event === 'git.revisionLatency.backfilled' && l.spans === 60), JSON.stringify(first.events.filter((l) => String(l.event).startsWith('git.'))));
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': ai }),
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${first.port}/v1/traces` }), { scheduledDelayMillis: 20 })],
      });
      const tracer = provider.getTracer('shop');
      for (let i = 0; i < 30; i++) {
        const start = Date.now() - 60_000 + i * 100;
        tracer.startSpan('checkout', { kind: OtelKind.INTERNAL, startTime: new Date(start), attributes: { 'code.file.path': file, 'code.line.number': SPAN_LINE } }).end(new Date(start + 40));
      }
      await provider.forceFlush();
      await provider.shutdown();
      const u = await checkout(first.client, (d) => (d.runtime?.units?.find((x) => x.name === 'checkout')?.after.calls ?? 0) >= 30);
      assert.deepEqual([u.before, u.after], [{ calls: 30, errors: 0 }, { calls: 30, errors: 0 }]);
      assert.equal(u.queries.before, 30, 'the stored queries count as what the function issued, not as its calls');
      assert.equal(u.sentence, `checkout(): p95 ↑ 4.0× (30 before / 30 after) since ${ai.slice(0, 7)} (AI diff)`);
    } finally {
      await first.stop();
    }
    const second = await startCollector(storage, repo.dir);
    try {
      assert.ok(!second.events.some((l) => l.event === 'git.revisionLatency.backfilled'), 'the checkpoint already counts every stored span');
      const u = await checkout(second.client, (d) => !!d.runtime?.units?.length);
      assert.deepEqual([u.before.calls, u.after.calls], [30, 30]);
    } finally {
      await second.stop();
    }
  });
});
