// The collector process as the extension runs it: the real plugins (source, git, analysis,
// status) on the real sql.js store, fed by the official OTLP exporter.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LiveClient } from '../../../../collector/live/client';
import { secretFrom } from '../../../../collector/live/secretFile';
import { TempRepo, lines } from '../git/repo';
import { startRealCollector, type RealCollector } from '../../../harness/realCollector';

async function waitFor(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function send(port: number, revision: string, file: string, n: number, ms: number, failEvery = 0): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': revision }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }), { maxExportBatchSize: 512, maxQueueSize: 2048 })],
  });
  const tracer = provider.getTracer('plugins-test');
  const t0 = Date.now() - 60_000;
  for (let i = 0; i < n; i++) {
    const start = new Date(t0 + i * 10);
    const span = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: start, attributes: { 'code.file.path': file, 'code.line.number': 3, 'http.route': '/orders' } });
    if (failEvery && i % failEvery === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    span.end(new Date(start.getTime() + ms + (i % 3)));
  }
  await provider.forceFlush();
  await provider.shutdown();
}

/** `runCollector` with the real components and the sql.js store, as `vibewatch collect` runs it. */
const startCollector = (storage: string, workspace: string): Promise<RealCollector> => startRealCollector({ storage, workspace });

describe('collector process plugins (real store, real exporters)', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  let storage: string;
  let base: string;
  let ai: string;
  let collector: RealCollector;
  let client: LiveClient;
  let port: number;

  before(async () => {
    repo = new TempRepo();
    repo.write('app.js', lines(1, 5));
    base = repo.commit('base');
    repo.write('app.js', lines(1, 2) + 'rows.forEach(loadItems)\n' + lines(4, 5));
    ai = repo.commit('Load items per row\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    storage = mkdtempSync(join(tmpdir(), 'vw-plugins-'));
    collector = await startCollector(storage, repo.dir);
    ({ client, port } = collector);
  });
  after(async () => {
    await collector?.stop();
    rmSync(storage, { recursive: true, force: true });
    repo.cleanup();
  });

  it('shows an AI diff before and after it shipped, from the revisions the service ran', async () => {
    const file = join(repo.dir, 'app.js');
    await send(port, base, file, 40, 10);
    await send(port, ai, file, 40, 45, 8);
    const result = await client.request('aiDiffs', { workspace: repo.dir });
    const diff = result.diffs.find((d) => d.commit === ai);
    assert.ok(diff, `AI diff of ${ai} in the ledger`);
    assert.ok(diff.runtime, 'runtime numbers are joined');
    // Calls since it shipped: the 40 at the AI revision (the 40 before are the baseline).
    assert.equal(diff.runtime.calls, 40);
    assert.ok((diff.runtime.p95Ratio ?? 0) > 3, `p95 ratio ${diff.runtime.p95Ratio}`);
    assert.match(diff.runtime.beforeAfter ?? '', new RegExp(`^lines 3–3: p95 ↑ .* \\(40 before / 40 after\\) since ${ai.slice(0, 7)} \\(AI diff\\)$`));
  });

  it('keeps error groups and before/after numbers across a restart', async () => {
    const file = join(repo.dir, 'app.js');
    await waitFor(async () => (await client.request('errors', {})).length > 0, 'an error group from the failing spans');
    await collector.stop();
    collector = await startCollector(storage, repo.dir);
    ({ client, port } = collector);
    const groups = await client.request('errors', {});
    assert.equal(groups.length, 1, 'the error group came back');
    assert.equal(groups[0].count, 5);
    const diff = (await client.request('aiDiffs', { workspace: repo.dir })).diffs.find((d) => d.commit === ai);
    assert.match(diff?.runtime?.beforeAfter ?? '', /^lines 3–3: p95 ↑ /, 'before/after survives the restart');
    assert.ok((await client.request('fileSummary', { file })).lines.length > 0);
  });

  it('tells every window when the AI-diff ledger changes, so their lenses follow', async () => {
    const other = new LiveClient({ port, secret: secretFrom(storage) });
    await other.connect();
    const seen: string[][] = [];
    other.on('changed', (e) => seen.push(e.topics));
    try {
      const file = join(repo.dir, 'app.js');
      const r = await client.request('aiDiffEdit', { workspace: repo.dir, op: 'mark', file, startLine: 1, endLine: 2, text: 'line 1\nline 2\n', tool: 'test' });
      assert.ok(r.diff, 'the manual AI range is recorded');
      await waitFor(async () => seen.some((t) => t.includes('aiDiffs')), 'an aiDiffs change notice in the other window');
      // The first refresh after an edit may pin the new range; one more changes nothing
      // stored, and sends no notice (lenses are not refetched for nothing).
      await client.request('aiDiffs', { workspace: repo.dir });
      await new Promise((res) => setTimeout(res, 400));
      const n = seen.length;
      await client.request('aiDiffs', { workspace: repo.dir });
      const again = await client.request('aiDiffs', { workspace: repo.dir });
      await new Promise((res) => setTimeout(res, 600));
      assert.equal(seen.slice(n).filter((t) => t.includes('aiDiffs')).length, 0);
      // The hand-marked range stays on its lines, though the AI commit's range is anchored at
      // the same revision of the same file (their tracked ranges were once shared).
      const marked = again.diffs.find((d) => d.id === r.diff!.id);
      assert.deepEqual(marked?.files[0].ranges.map((x) => [x.start, x.end]), [[1, 2]]);
      await client.request('aiDiffEdit', { workspace: repo.dir, op: 'unmark', file, startLine: 1, endLine: 2 });
    } finally {
      other.dispose();
    }
  });

  it('clears every piece of telemetry and analysis state on clearData', async () => {
    const file = join(repo.dir, 'app.js');
    assert.ok((await client.request('fileSummary', { file })).lines.length > 0);
    // Another window, connected to the same collector, must drop its lenses and hovers.
    const other = new LiveClient({ port, secret: secretFrom(storage) });
    await other.connect();
    const seen: { resync?: boolean }[] = [];
    other.on('changed', (e) => seen.push(e));
    assert.deepEqual(await client.request('clearData', {}), { ok: true });
    await waitFor(async () => seen.some((e) => e.resync === true), 'a resync notice in the other window');
    other.dispose();
    assert.deepEqual((await client.request('fileSummary', { file })).lines, []);
    assert.deepEqual(await client.request('traces', {}), []);
    assert.deepEqual(await client.request('errors', {}), []);
    const diff = (await client.request('aiDiffs', { workspace: repo.dir })).diffs.find((d) => d.commit === ai);
    assert.equal(diff?.runtime?.beforeAfter, 'lines 3–3: not seen running', 'the per-revision latency is cleared too');
    assert.equal(diff?.runtime?.calls, 0);
  });

  it('serves the public status page under the product name, without internal detail', async () => {
    const html = await (await fetch(`http://127.0.0.1:${port}/status`)).text();
    assert.match(html, /<h1>Service status<\/h1>/);
    assert.doesNotMatch(html, new RegExp(repo.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
});
