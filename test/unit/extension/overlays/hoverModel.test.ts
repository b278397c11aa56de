import { strict as assert } from 'node:assert';
import type { LineStats } from '../../../../collector/live/protocol';
import { commandUri, hoverMarkdown } from '../../../../extension/overlays/hoverModel';
import { HOSTILE, renderMarkdown } from '../../../harness/renderedSinks';

const FILE = '/ws/src/orders.ts';
const now = Date.UTC(2026, 0, 1, 12);
const s: LineStats = { line: 4, kind: 'span', function: 'listOrders', calls: 40, errors: 2, p50Ms: 12, p95Ms: 340, lastSeenMs: now - 120_000, names: ['GET /orders'], recentTraceIds: ['0af7651916cd43dd8448eb211c80319c'], perMinute: [0, 1, 4, 8] };

describe('hoverMarkdown', () => {
  it('shows the numbers, the sparkline and the latest traces as command links', () => {
    const md = hoverMarkdown(FILE, [s], [], now)!;
    assert.match(md, /40 calls · p50 12 ms · p95 340 ms · 2 errors \(5\.0%\) · last seen 2 min ago/);
    assert.match(md, /`▁▂▅█` 13 in the last 4 min/);
    assert.ok(md.includes(`[0af76519](${commandUri('vibewatch.openTraces', [{ traceId: '0af7651916cd43dd8448eb211c80319c', file: FILE, line: 4 }])})`));
  });

  it('names the AI diff covering the line', () => {
    const md = hoverMarkdown(FILE, [s], [{ diffId: 'd', start: 1, end: 9, tool: 'Claude', timeMs: now - 3_600_000, state: 'confirmed', source: 'trailer', commit: 'a1b2c3d4' }], now)!;
    assert.match(renderMarkdown(md).textNodes.join(''), /AI diff \(Claude, 1 h ago\) · not enough data for before\/after in a1b2c3d/);
  });

  describe('with hostile names from telemetry and the workspace', () => {
    const traceLink = /^command:vibewatch\.openTraces\?/;
    for (const h of HOSTILE) {
      it(`renders ${JSON.stringify(h.slice(0, 50))} with no link but ours, no heading, HTML or icon`, () => {
        const hostile: LineStats = { ...s, function: h, names: [h, h], logsBySeverity: { [h]: 1 } };
        const log: LineStats = { ...hostile, kind: 'log' };
        const md = hoverMarkdown(FILE, [hostile, log], [{ diffId: 'd', start: 1, end: 9, tool: h, model: h, timeMs: now, state: 'confirmed', source: h, commit: h, subject: h, beforeAfter: h }], now)!;
        const r = renderMarkdown(md);
        assert.deepEqual(r.links.filter((l) => !traceLink.test(l) && !/^command:vibewatch\.openLogs\?/.test(l)), []);
        assert.equal(r.links.length, 3, 'the two lines\' trace links and the logs link only');
        assert.equal(r.headings, 0);
        assert.deepEqual(r.html, []);
        assert.deepEqual(r.icons, ['$(sparkle)'], 'only the AI marker icon, which is ours');
      });
    }
  });

  it('encodes command arguments as a JSON array in the URI', () => {
    const uri = commandUri('vibewatch.openTraces', [{ traceId: 'x' }]);
    assert.deepEqual(JSON.parse(decodeURIComponent(uri.slice(uri.indexOf('?') + 1))), [{ traceId: 'x' }]);
  });

  it('has nothing to say without data', () => {
    assert.equal(hoverMarkdown(FILE, [], [], now), undefined);
  });
});
