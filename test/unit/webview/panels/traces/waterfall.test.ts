import { strict as assert } from 'node:assert';
import type { SpanView } from '../../../../../collector/live/protocol';
import { buildWaterfall, REPEAT_MIN } from '../../../../../webview/panels/traces/waterfall';

let seq = 0;
function span(name: string, startMs: number, durationMs: number, parent?: SpanView, statusCode = 0): SpanView {
  const id = (++seq).toString(16).padStart(16, '0');
  return { traceId: 'f'.repeat(32), spanId: id, parentSpanId: parent?.spanId, name, kind: 1, service: 'svc', startMs, durationMs, statusCode, attributes: {}, events: [] };
}

describe('waterfall', () => {
  it('orders spans depth-first by start time with their depth', () => {
    const root = span('root', 0, 100);
    const b = span('b', 50, 10, root);
    const a = span('a', 10, 10, root);
    const a1 = span('a1', 12, 2, a);
    const w = buildWaterfall([b, a1, root, a]);
    assert.deepEqual(w.rows.map((r) => (r.kind === 'span' ? `${r.depth}:${r.span.name}` : 'group')), ['0:root', '1:a', '2:a1', '1:b']);
    assert.equal(w.startMs, 0);
    assert.equal(w.endMs, 100);
  });

  it('groups a run of repeated siblings into one collapsed row (the N+1 shape)', () => {
    const root = span('GET /orders', 0, 100);
    const qs = Array.from({ length: 12 }, (_, i) => span('SELECT item', 1 + i * 5, 4, root));
    const w = buildWaterfall([root, ...qs]);
    assert.equal(w.rows.length, 2);
    const g = w.rows[1];
    assert.ok(g.kind === 'group');
    assert.equal(g.spans.length, 12);
    assert.equal(g.startMs, 1);
    assert.equal(g.endMs, 60);
  });

  it('shows the repeated spans when their group is expanded', () => {
    const root = span('GET /orders', 0, 100);
    const qs = Array.from({ length: REPEAT_MIN }, (_, i) => span('SELECT item', 1 + i, 1, root));
    const key = (buildWaterfall([root, ...qs]).rows[1] as { key: string }).key;
    const w = buildWaterfall([root, ...qs], new Set([key]));
    assert.equal(w.rows.length, 2 + REPEAT_MIN);
    assert.deepEqual(w.rows.slice(2).map((r) => r.depth), Array(REPEAT_MIN).fill(2));
  });

  it('does not group fewer than REPEAT_MIN repeats', () => {
    const root = span('r', 0, 10);
    const w = buildWaterfall([root, span('q', 1, 1, root), span('q', 2, 1, root)]);
    assert.equal(w.rows.filter((r) => r.kind === 'group').length, 0);
  });

  it('marks errors and counts them', () => {
    const root = span('r', 0, 10);
    const bad = span('pay', 1, 1, root, 2);
    const w = buildWaterfall([root, bad]);
    assert.equal(w.errorCount, 1);
    assert.ok(w.rows[1].kind === 'span' && w.rows[1].hasError);
  });

  it('keeps spans whose parent is missing as roots', () => {
    const orphan = { ...span('orphan', 5, 1), parentSpanId: 'deadbeefdeadbeef' };
    const w = buildWaterfall([span('root', 0, 10), orphan]);
    assert.deepEqual(w.rows.map((r) => r.depth), [0, 0]);
  });

  it('handles a 100,000-deep chain without recursion', () => {
    const spans: SpanView[] = [];
    let parent: SpanView | undefined;
    for (let i = 0; i < 100_000; i++) spans.push((parent = span(`s${i % 2}`, i, 1, parent)));
    const w = buildWaterfall(spans);
    assert.equal(w.rows.length, 100_000);
    assert.equal(w.rows[99_999].depth, 99_999);
  });
});
