import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { measureFile, headline, routeLinesOf } from '../../../../collector/git/diffMeasure';
import { Git } from '../../../../collector/git/git';
import { toRowBatch } from '../../../../collector/store/rows';
import { RevisionLatency, cachedSide } from '../../../../collector/git/revisionLatency';
import { SpanKind, StatusCode, emptyBatch, type Span } from '../../../../collector/model/types';
import { TempRepo } from './repo';

function span(file: string, line: number, revision: string, ms: number, o: { error?: boolean; query?: boolean } = {}): Span {
  const start = 1_700_000_000_000_000_000n;
  return {
    traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', name: o.query ? 'SELECT items' : 'checkout', kind: o.query ? SpanKind.Client : SpanKind.Internal,
    startNs: start, endNs: start + BigInt(Math.round(ms * 1e6)), status: { code: o.error ? StatusCode.Error : StatusCode.Unset },
    attributes: o.query ? { 'db.system': 'sqlite' } : {}, events: [], links: [], resource: { attributes: {}, serviceName: 'shop', revision }, scope: { name: 't' },
    location: { file, line, via: 'attribute', confidence: 1 },
  };
}

function feed(table: RevisionLatency, spans: Span[]): void {
  const b = emptyBatch();
  b.spans = spans;
  // The store folds each journal record into the cells (collector/timeseries/timeSeries.ts).
  table.cells.addRows(toRowBatch(b));
}

const BEFORE = ['async function checkout(cart) {', '  const total = sum(cart);', '  return total;', '}', ''].join('\n');
// The AI commit adds a query per item (lines 3-5) and a throw (line 6) inside checkout.
const AFTER = ['async function checkout(cart) {', '  const total = sum(cart);', '  for (const it of cart.items) {', '    await db.get(it.id);', '  }', '  if (!total) throw new Error("empty cart");', '  return total;', '}', ''].join('\n');
const UNKNOWN = 'f'.repeat(40);

describe('per-unit measure of an AI diff', () => {
  let repo: TempRepo;
  let base: string;
  let ai: string;
  let file: string;
  let sideOf: ReturnType<typeof cachedSide>;
  before(() => {
    repo = new TempRepo();
    repo.write('shop.js', BEFORE);
    base = repo.commit('base');
    repo.write('shop.js', AFTER);
    ai = repo.commit('Load items\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    file = join(repo.dir, 'shop.js');
    sideOf = cachedSide(new Git({ cwd: repo.dir, env: repo.env }));
  });
  after(() => repo.cleanup());

  it('measures a named route handler by the spans at the line that registers it (router.get(\'/\', list))', async () => {
    const text = ['function list(req, res) {', '  res.json(rows());', '}', "router.get('/', list);", "router.get('/:id', asyncHandler(show));", ''].join('\n');
    assert.deepEqual(routeLinesOf(text, 'list'), [4]);
    assert.deepEqual(routeLinesOf(text, 'show'), [5]);
    const table = new RevisionLatency();
    // The server spans sit at the route line (4), as register and the route table place them.
    feed(table, Array.from({ length: 30 }, (_, i) => span(file, 4, base, 10 + (i % 5))));
    feed(table, Array.from({ length: 30 }, (_, i) => span(file, 4, ai, 40 + (i % 5))));
    const m = await measureFile(table, file, text, [{ start: 2, end: 2 }], ai, sideOf);
    assert.equal(m.units[0].name, 'list');
    assert.deepEqual([m.units[0].before.calls, m.units[0].after.calls], [30, 30]);
    assert.match(m.units[0].sentence, /^list\(\): p95 ↑ /);
  });

  it('measures the function by its own span, counts its queries apart, and states both sides', async () => {
    const table = new RevisionLatency();
    // Span starts at line 1 (not an AI line): a body-only change is still measured.
    feed(table, Array.from({ length: 100 }, (_, i) => span(file, 1, base, 10 + (i % 10))));
    feed(table, Array.from({ length: 100 }, (_, i) => span(file, 1, ai, 50 + 5 * (i % 10), { error: i % 4 === 0 })));
    // 10 fast queries per call at line 4: merged with the function they would make it look faster.
    feed(table, Array.from({ length: 1000 }, () => span(file, 4, ai, 1, { query: true })));
    const m = await measureFile(table, file, AFTER, [{ start: 3, end: 6 }], ai, sideOf);
    assert.equal(m.units.length, 1);
    const u = m.units[0];
    assert.equal(u.name, 'checkout');
    assert.deepEqual([u.start, u.end, u.spanLine], [1, 8, 1]);
    assert.deepEqual(u.before, { calls: 100, errors: 0 });
    assert.deepEqual(u.after, { calls: 100, errors: 25 });
    assert.deepEqual(u.queries, { before: 0, after: 1000 });
    assert.equal(u.beforeAfter?.status, 'ok');
    // Truth: p95 before ≈ 19 ms, after ≈ 95 ms → 5×.
    assert.ok(Math.abs(u.beforeAfter!.p95Ratio! - 5) / 5 < 0.05, `p95 ratio ${u.beforeAfter!.p95Ratio}`);
    assert.match(u.sentence, new RegExp(`^checkout\\(\\): p95 ↑ 5\\.0×, errors 0\\.00% → 25\\.0% \\(100 before / 100 after\\) since ${ai.slice(0, 7)} \\(AI diff\\) · 10\\.0 queries per call \\(was 0\\.0\\)$`));
    assert.equal(headline(m.units), u);
  });

  it('says "not enough data (n before / m after)" below the threshold', async () => {
    const table = new RevisionLatency();
    feed(table, Array.from({ length: 19 }, () => span(file, 1, base, 10)));
    feed(table, Array.from({ length: 19 }, () => span(file, 1, ai, 60)));
    const [u] = (await measureFile(table, file, AFTER, [{ start: 4, end: 4 }], ai, sideOf)).units;
    assert.equal(u.beforeAfter?.status, 'not-enough-data');
    assert.match(u.sentence, /^checkout\(\): not enough data \(19 before \/ 19 after\) since /);
  });

  it('shows calls from a revision the clone does not have as unknown, never as "before"', async () => {
    const table = new RevisionLatency();
    feed(table, Array.from({ length: 40 }, () => span(file, 1, base, 10)));
    feed(table, Array.from({ length: 40 }, () => span(file, 1, ai, 40)));
    // Not mappable to today's lines, so they sit at the old revision's line (here outside checkout).
    feed(table, Array.from({ length: 30 }, () => span(file, 12, UNKNOWN, 400)));
    const [u] = (await measureFile(table, file, AFTER, [{ start: 4, end: 4 }], ai, sideOf)).units;
    assert.deepEqual(u.before, { calls: 40, errors: 0 });
    assert.deepEqual(u.unknown, { calls: 30, errors: 0, revisions: [UNKNOWN] });
    assert.match(u.sentence, /\(40 before \/ 40 after\).* · 30 calls in this file from revision fffffff not in this clone \(git fetch to place them\)$/);
  });

  it('says "not seen running" when the unit never ran', async () => {
    const [u] = (await measureFile(new RevisionLatency(), file, AFTER, [{ start: 4, end: 4 }], ai, sideOf)).units;
    assert.equal(u.sentence, 'checkout(): not seen running');
    assert.equal(u.beforeAfter, undefined);
  });
});
