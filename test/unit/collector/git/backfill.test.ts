// "Before" for a collector that starts after the AI commit shipped: the store (real sql.js
// store, written by an earlier run that kept no per-revision table) holds checkout spans of
// the revision before the AI commit; a new collector fills "before" from them at start,
// the AI revision's calls arrive live through the official exporter, and a restart counts
// nothing twice.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
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
      assert.ok(!second.events.some((l) => l.event === 'git.revisionLatency.backfilled'), 'the saved table already counts every stored span');
      const u = await checkout(second.client, (d) => !!d.runtime?.units?.length);
      assert.deepEqual([u.before.calls, u.after.calls], [30, 30]);
    } finally {
      await second.stop();
    }
  });
});
