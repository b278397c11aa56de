import { strict as assert } from 'node:assert';
import { TracePlacement } from '../../../../collector/source/tracePlacement';
import { SpanKind, type Span, type TelemetryBatch } from '../../../../collector/model/types';
import { batchOf, span as build } from '../../../harness/spans';

const HANDLER = { file: '/w/routes/articles.js', line: 12, via: 'route' as const, confidence: 0.85 };

function span(id: string, parent: string | undefined, kind: SpanKind, located = false): Span {
  return build({ traceId: 't1', spanId: id, parent, name: id, kind, service: 'conduit', ...(located ? { location: { ...HANDLER } } : {}) });
}
const batch = (...spans: Span[]): TelemetryBatch => batchOf(spans);

describe('trace placement (issued from, nested handler spans)', () => {
  it('gives a query under a middleware span the handler location as issuedFrom, keeping its own kind', () => {
    const server = span('srv', undefined, SpanKind.Server, true);
    const mw = span('mw', 'srv', SpanKind.Internal);
    const q = span('q', 'mw', SpanKind.Client);
    new TracePlacement().place(batch(q, mw, server));
    assert.deepEqual([q.issuedFrom?.file, q.issuedFrom?.line, q.kind, q.location], [HANDLER.file, HANDLER.line, SpanKind.Client, undefined]);
  });

  it('counts a handler span at its server span\'s line once (the child is nested), in one batch', () => {
    const server = span('srv', undefined, SpanKind.Server, true);
    const handler = span('h', 'srv', SpanKind.Internal, true);
    new TracePlacement().place(batch(handler, server));
    assert.equal(handler.location?.nested, true);
    assert.equal(server.location?.nested, undefined);
  });

  it('counts the handler span once under router spans placed at their mount lines, in one batch or two', () => {
    const mount = { file: '/w/app.js', line: 8, via: 'attribute' as const, confidence: 1 };
    for (const split of [false, true]) {
      const tp = new TracePlacement();
      const server = span('srv', undefined, SpanKind.Server, true);
      const router = { ...span('r', 'srv', SpanKind.Internal), location: { ...mount } };
      const handler = span('h', 'r', SpanKind.Internal, true);
      if (split) {
        tp.place(batch(handler, router));
        tp.place(batch(server));
      } else tp.place(batch(handler, router, server));
      assert.equal([handler, server].filter((s) => !s.location?.nested).length, 1, split ? 'two batches' : 'one batch');
      assert.equal((router.location as { nested?: true }).nested, undefined, 'the router span counts at its own line');
    }
  });

  it('counts it once when the handler span came in an earlier batch than its server span', () => {
    const tp = new TracePlacement();
    const handler = span('h', 'srv', SpanKind.Internal, true);
    tp.place(batch(handler));
    const server = span('srv', undefined, SpanKind.Server, true);
    tp.place(batch(server));
    assert.equal([handler, server].filter((s) => !s.location?.nested).length, 1);
  });

  it('leaves a span unplaced when no ancestor is placed', () => {
    const q = span('q', 'unknown', SpanKind.Client);
    new TracePlacement().place(batch(q));
    assert.equal(q.issuedFrom, undefined);
  });
});
