// Issue 16's "done when": the AI-diff figures against the truth computed from what was sent.
// A real repository with three AI commits (Claude adds an N+1 and a throw to checkout,
// Copilot changes shipping's body but not its span's start line, Cursor a clean change to
// format plus a rarely called refund) and a later human commit that shifts every line;
// telemetry from the revision before the AI commits and from the one with them, sent with
// the official OTel exporter to the collector with its real plugins and store.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LiveClient } from '../../../../collector/live/client';
import { startRealCollector } from '../../../harness/realCollector';
import type { AiDiffView } from '../../../../collector/git/types';
import { TempRepo } from '../git/repo';
import { indexRanges } from '../../../../extension/overlays/aiRanges';
import { buildLenses } from '../../../../extension/overlays/lensModel';

const BASE = [
  "'use strict';",
  'async function checkout(cart, db) {',
  "  const span = trace('checkout');",
  '  const total = cart.items.length;',
  '  return total;',
  '}',
  'function shipping(cart) {',
  "  const span = trace('shipping');",
  '  return cart.weight * 2;',
  '}',
  'function format(n) {',
  "  const span = trace('format');",
  '  return String(n);',
  '}',
  'function refund(order) {',
  "  const span = trace('refund');",
  '  return order.total;',
  '}',
  '',
].join('\n');

const withClaude = (t: string) =>
  t.replace(
    '  const total = cart.items.length;\n  return total;',
    "  let total = 0;\n  for (const it of cart.items) {\n    total += await db.get('select price from items where id = ?', it);\n  }\n  if (cart.items.length > 12) throw new Error('cart too large');\n  return total;",
  );
const withCopilot = (t: string) => t.replace('  return cart.weight * 2;', '  return slowRate(cart) * cart.weight;');
const withCursor = (t: string) => t.replace('  return String(n);', '  return n.toFixed(0);').replace('  return order.total;', '  return order.total - (order.fee ?? 0);');
const HUMAN_HEADER = Array.from({ length: 7 }, (_, i) => `// shop module, note ${i + 1}`).join('\n') + '\n';
const withHuman = (t: string) => t.replace("'use strict';\n", `'use strict';\n${HUMAN_HEADER}`);

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const UNKNOWN = 'e'.repeat(40);

/** Nearest-rank p95 of what was sent (the truth the figures are held to). */
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(0.95 * s.length) - 1];
}

interface Sent {
  durations: number[];
  errors: number;
  queries: number;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, seen?: () => string): Promise<T> {
  // Generous: ingest of ~10k spans on a shared 2-core machine; the bound only stops a hang.
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${seen ? `; last seen: ${seen()}` : ''}`);
}

describe('AI-diff figures against the truth (real repo, real exporter, real collector)', function () {
  this.timeout(180_000);
  let repo: TempRepo;
  let revBase: string;
  let revAi: string;
  const commits: Record<'claude' | 'copilot' | 'cursor', string> = { claude: '', copilot: '', cursor: '' };
  let aiText: string;
  let todayText: string;
  let file: string;
  let client: LiveClient;
  let stop: () => Promise<void>;
  const truth: Record<string, { before: Sent; after: Sent }> = {};

  before(async () => {
    repo = new TempRepo();
    repo.write('shop.js', BASE);
    repo.write('README.md', '# shop\n');
    revBase = repo.commit('shop');
    repo.write('shop.js', withClaude(BASE));
    commits.claude = repo.commit('Load item prices\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    repo.write('shop.js', withCopilot(withClaude(BASE)));
    commits.copilot = repo.commit('Shipping rates\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>');
    aiText = withCursor(withCopilot(withClaude(BASE)));
    repo.write('shop.js', aiText);
    repo.write('README.md', '# shop\n\nFormats totals.\n');
    commits.cursor = repo.commit('Format totals\n\nCo-authored-by: Cursor <cursoragent@cursor.com>');
    revAi = commits.cursor;
    todayText = withHuman(aiText);
    repo.write('shop.js', todayText);
    repo.commit('Notes');
    file = join(repo.dir, 'shop.js');

    const flags = { 'incident-severity': 'info', 'analysis-settings': JSON.stringify({ tickIntervalMs: 200, flushIntervalMs: 200, traceQuietMs: 300 }) };
    const collector = await startRealCollector({ workspace: repo.dir, flags });
    client = collector.client;
    const port = collector.port;
    stop = () => collector.stop();

    const t0 = Date.now() - 20 * 60_000;
    const send = async (revision: string, text: string, phase: 'before' | 'after', n: Record<string, number>, atMs: number) => {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': revision }),
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }), { maxExportBatchSize: 1000, maxQueueSize: 100_000, scheduledDelayMillis: 50 })],
      });
      const tracer = provider.getTracer('shop');
      const note = (unit: string, ms: number, error: boolean, queries: number) => {
        truth[unit] ??= { before: { durations: [], errors: 0, queries: 0 }, after: { durations: [], errors: 0, queries: 0 } };
        const s = truth[unit][phase];
        if (revision === UNKNOWN) return;
        s.durations.push(ms);
        s.errors += error ? 1 : 0;
        s.queries += queries;
      };
      const at = (line: number) => ({ 'code.file.path': file, 'code.line.number': line });
      let clock = atMs;
      for (let i = 0; i < n.checkout; i++) {
        const items = (i % 20) + 1;
        const start = clock;
        clock += 50;
        const after = phase === 'after';
        const ms = after ? 60 + 6 * (i % 10) + items : 10 + (i % 10);
        const fails = after && items > 12;
        const root = tracer.startSpan('checkout', { kind: SpanKind.INTERNAL, startTime: new Date(start), attributes: at(lineOf(text, "trace('checkout')")) });
        let q = 0;
        if (after) {
          const ctx = trace.setSpan(context.active(), root);
          for (let k = 0; k < items; k++, q++) {
            const qs = tracer.startSpan('SELECT items', { kind: SpanKind.CLIENT, startTime: new Date(start + 1 + k), attributes: { 'db.system': 'sqlite', 'db.statement': 'select price from items where id = ?', ...at(lineOf(text, 'db.get(')) } }, ctx);
            qs.end(new Date(start + 2 + k));
          }
        }
        if (fails) {
          const err = new Error('cart too large');
          err.stack = `Error: cart too large\n    at checkout (${file}:${lineOf(text, 'cart too large')}:37)\n    at async main (${file}:2:1)`;
          root.recordException(err);
          root.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
        }
        root.end(new Date(start + ms));
        note('checkout', ms, fails, q);
      }
      const simple = (unit: string, count: number, msOf: (i: number) => number) => {
        for (let i = 0; i < count; i++) {
          const start = clock;
          clock += 20;
          const ms = msOf(i);
          tracer.startSpan(unit, { kind: SpanKind.INTERNAL, startTime: new Date(start), attributes: at(lineOf(text, `trace('${unit}')`)) }).end(new Date(start + ms));
          note(unit, ms, false, 0);
        }
      };
      simple('shipping', n.shipping, (i) => (phase === 'after' ? 5 : 1) * (4 + (i % 5)));
      simple('format', n.format, (i) => 2 + (i % 4));
      simple('refund', n.refund, (i) => 3 + (i % 2));
      await provider.forceFlush();
      await provider.shutdown();
    };
    await send(revBase, BASE, 'before', { checkout: 300, shipping: 200, format: 200, refund: 19 }, t0);
    // A build the clone never fetched ran briefly in between; the AI revision runs now.
    await send(UNKNOWN, aiText, 'after', { checkout: 40, shipping: 0, format: 0, refund: 0 }, t0 + 4 * 60_000);
    await send(revAi, aiText, 'after', { checkout: 680, shipping: 421, format: 200, refund: 19 }, t0 + 8 * 60_000);
  });

  after(async () => {
    await stop?.();
    repo?.cleanup();
  });

  let diffs: AiDiffView[];
  const byCommit = (c: string) => {
    const d = diffs.find((x) => x.commit === c);
    assert.ok(d, `AI diff ${c.slice(0, 7)} listed`);
    return d;
  };
  const unit = (d: AiDiffView, name: string) => {
    const u = d.runtime?.units?.find((x) => x.name === name);
    assert.ok(u, `${name} measured for ${d.subject}: ${JSON.stringify(d.runtime?.units?.map((x) => x.name))}`);
    return u;
  };

  it('measures each function by its own span, with exact calls and errors, p95 ratio within 5 %', async () => {
    let last: AiDiffView[] | undefined;
    const total = 300 + 680 + 40 + 200 + 421 + 200 + 200 + 19 + 19;
    diffs = await waitFor(async () => {
      const r = await client.request('aiDiffs', { workspace: repo.dir });
      const calls = r.diffs.flatMap((d) => d.runtime?.units ?? []).filter((u, i, all) => all.findIndex((v) => v.name === u.name) === i).reduce((n, u) => n + u.before.calls + u.after.calls + u.unknown.calls, 0);
      last = r.diffs;
      return calls >= total ? r.diffs : undefined;
    }, 'every function span to be counted', () => JSON.stringify(last?.map((d) => [d.subject, d.runtime?.units]), null, 1));
    const co = unit(byCommit(commits.claude), 'checkout');
    const t = truth.checkout;
    assert.deepEqual(co.before, { calls: 300, errors: 0 });
    assert.deepEqual(co.after, { calls: 680, errors: t.after.errors });
    assert.equal(co.queries.after, t.after.queries, 'queries issued from the diff, counted apart');
    const want = p95(t.after.durations) / p95(t.before.durations);
    assert.ok(Math.abs(co.p95Ratio! - want) / want < 0.05, `checkout p95 ratio ${co.p95Ratio} vs truth ${want.toFixed(2)}`);
    assert.match(co.sentence, new RegExp(`^checkout\\(\\): p95 ↑ .*errors 0\\.00% → ${((100 * t.after.errors) / 680).toFixed(1)}% \\(300 before / 680 after\\) since ${commits.claude.slice(0, 7)} \\(AI diff\\)`));
  });

  it('measures a body-only change (span start line unchanged) because the function is measured', () => {
    const sh = unit(byCommit(commits.copilot), 'shipping');
    assert.deepEqual([sh.before.calls, sh.after.calls], [200, 421]);
    const want = p95(truth.shipping.after.durations) / p95(truth.shipping.before.durations);
    assert.ok(Math.abs(sh.p95Ratio! - want) / want < 0.05, `shipping p95 ratio ${sh.p95Ratio} vs truth ${want.toFixed(2)}`);
  });

  it('gives the body-only change its AI lens on the range\'s first line (no span starts in it)', async () => {
    const r = await client.request('aiDiffs', { workspace: repo.dir });
    const ranges = indexRanges([r]).get(file.replace(/\\/g, '/')) ?? [];
    const copilot = ranges.filter((x) => x.commit === commits.copilot);
    const bodyLine = lineOf(todayText, 'slowRate(cart)');
    assert.deepEqual(copilot.map((x) => [x.start, x.end, x.measured]), [[bodyLine, bodyLine, true]]);
    const summary = await client.request('fileSummary', { file });
    assert.ok(!summary.lines.some((l) => l.kind === 'span' && l.line === bodyLine), 'no span starts on the changed line');
    const lens = buildLenses(file, summary.lines, ranges, Date.now()).find((l) => (l.args[0] as { aiDiffId?: string }).aiDiffId === copilot[0].diffId);
    assert.ok(lens, 'the Copilot diff has an AI lens');
    assert.equal(lens.line, bodyLine - 1);
    assert.match(lens.title, /· shipping\(\): p95 ↑ /);
  });

  it('says "not enough data (19 before / 19 after)" below the threshold', () => {
    const rf = unit(byCommit(commits.cursor), 'refund');
    assert.equal(rf.status, 'not-enough-data');
    assert.match(rf.sentence, /^refund\(\): not enough data \(19 before \/ 19 after\)/);
  });

  it('shows calls from a revision the clone does not have as unknown, with the hint to fetch', () => {
    const co = unit(byCommit(commits.claude), 'checkout');
    assert.equal(co.unknown.calls, 40);
    assert.deepEqual(co.unknown.revisions, [UNKNOWN]);
    assert.match(co.sentence, /40 calls in this file from revision eeeeeee not in this clone \(git fetch/);
  });

  it('ranks the diff by its own behaviour: the N+1-and-throw diff first, the clean diff low', () => {
    const claude = byCommit(commits.claude);
    const copilot = byCommit(commits.copilot);
    const cursor = byCommit(commits.cursor);
    assert.match(claude.risk!.reasons.join('; '), new RegExp(`${truth.checkout.after.errors} errors in its functions since it shipped \\(${((100 * truth.checkout.after.errors) / 680).toFixed(1)}% of 680 calls\\)`));
    assert.ok(claude.risk!.score > copilot.risk!.score, `${claude.risk!.score} > ${copilot.risk!.score}`);
    assert.ok(copilot.risk!.score >= 35, `a 5× regression scores high: ${copilot.risk!.score}`);
    assert.ok(cursor.risk!.score <= 10, `clean diff low: ${cursor.risk!.score} ${cursor.risk!.reasons.join('; ')}`);
    assert.match(claude.runtime!.beforeAfter!, /^checkout\(\): p95 ↑/, 'the headline sentence is the function that regressed');
  });

  it('puts the error group on today\'s line of the throw (7 lines lower than the deployed revision)', async () => {
    const groups = await waitFor(async () => {
      const g = await client.request('errors', {});
      return g.length ? g : undefined;
    }, 'the error group');
    const g = groups.find((x) => /cart too large/.test(x.title));
    assert.ok(g?.location, JSON.stringify(groups.map((x) => [x.title, x.location])));
    assert.equal(lineOf(todayText, 'cart too large'), lineOf(aiText, 'cart too large') + 7);
    assert.equal(g.location.line, lineOf(todayText, 'cart too large'));
  });

  it('names the culprit first among the incident\'s suspects, with why', async () => {
    let seenIncidents: unknown;
    const incident = await waitFor(async () => {
      const list = await client.request('incidents', {});
      seenIncidents = list;
      // Errors may arrive after the alert that opened the incident; suspects are re-ranked then.
      return list.find((i) => /failing frames/.test(i.suspects?.[0]?.why ?? ''));
    }, 'an incident with suspects', () => JSON.stringify(seenIncidents, null, 1));
    const first = incident.suspects![0];
    assert.equal(first.commit, commits.claude, JSON.stringify(incident.suspects));
    assert.match(first.why, /checkout\(\) is in the failing frames/);
  });
});
