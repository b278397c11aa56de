import { strict as assert } from 'node:assert';
import { fillIssuedFrom } from '../../../../collector/source/issuedFrom';
import type { SpanView } from '../../../../collector/model/queries';

const view = (spanId: string, parentSpanId: string | undefined, location?: SpanView['location']): SpanView => ({
  traceId: 't'.repeat(32), spanId, parentSpanId, name: spanId, kind: 1, service: 's', startMs: 0, durationMs: 1, statusCode: 0, attributes: {}, events: [], ...(location ? { location } : {}),
});

describe('issued from, filled when a trace is read', () => {
  it('gives spans without a location their nearest placed ancestor, whatever the order they came in', () => {
    const handler = { file: '/w/routes/articles.js', line: 12, via: 'route', confidence: 0.85, nested: true as const };
    const server = { file: '/w/routes/articles.js', line: 12, via: 'route', confidence: 0.85 };
    // Children first, as exporters send them; a middleware span between query and handler.
    const spans = [view('q', 'mw'), view('mw', 'h'), view('h', 'srv', handler), view('srv', undefined, server), view('orphan', 'gone')];
    fillIssuedFrom(spans);
    const by = new Map(spans.map((s) => [s.spanId, s]));
    assert.deepEqual(by.get('q')!.issuedFrom, { file: '/w/routes/articles.js', line: 12, via: 'route', confidence: 0.85 });
    assert.deepEqual(by.get('mw')!.issuedFrom, by.get('q')!.issuedFrom);
    assert.equal(by.get('h')!.issuedFrom, undefined, 'a placed span keeps its own location only');
    assert.equal(by.get('orphan')!.issuedFrom, undefined, 'no placed ancestor: nothing invented');
  });
});
