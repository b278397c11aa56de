import { strict as assert } from 'node:assert';
import type { LineStats } from '../../../../collector/live/protocol';
import { aiLensTitle, formatAgo, formatCount, formatMs, logLensTitle, sparkline, spanLensTitle } from '../../../../extension/overlays/format';

const stats = (o: Partial<LineStats>): LineStats => ({ line: 1, kind: 'span', calls: 0, errors: 0, lastSeenMs: 0, names: [], recentTraceIds: [], perMinute: [], ...o });

describe('overlay text formatting', () => {
  it('abbreviates counts the way the lens shows them', () => {
    assert.deepEqual([0, 950, 1000, 1234, 15_300, 2_500_000].map(formatCount), ['0', '950', '1k', '1.2k', '15k', '2.5M']);
  });

  it('formats durations in ms below a second and in seconds above', () => {
    assert.deepEqual([0.42, 12.3, 340, 2400, 15_000].map(formatMs), ['0.42 ms', '12 ms', '340 ms', '2.4 s', '15 s']);
  });

  it('says how long ago in minutes, hours and days', () => {
    const now = 10 * 86_400_000;
    assert.equal(formatAgo(now - 10_000, now), 'just now');
    assert.equal(formatAgo(now - 5 * 60_000, now), '5 min ago');
    assert.equal(formatAgo(now - 2 * 3_600_000, now), '2 h ago');
    assert.equal(formatAgo(now - 3 * 86_400_000, now), '3 d ago');
  });

  it('writes the span lens as calls · p95 · errors, leaving out zero errors', () => {
    assert.equal(spanLensTitle(stats({ calls: 1234, p95Ms: 340, errors: 3 })), '1.2k calls · p95 340 ms · 3 errors');
    assert.equal(spanLensTitle(stats({ calls: 1, p95Ms: 4 })), '1 call · p95 4 ms');
  });

  it('writes the log lens with severities most severe first', () => {
    assert.equal(logLensTitle(stats({ kind: 'log', calls: 42, logsBySeverity: { INFO: 39, ERROR: 3 } })), 'logged 42× · 3 ERROR · 39 INFO');
  });

  it('writes the AI lens with the p95 change and the commit when before/after exist', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    assert.equal(aiLensTitle({ tool: 'Claude', timeMs: now - 2 * 3_600_000, commit: 'a1b2c3d4e5f6', state: 'confirmed', p95Ratio: 4.1 }, now), 'AI diff (Claude, 2 h ago) · p95 ↑4.1× since a1b2c3d');
  });

  it('shows the collector\'s before/after sentence as is, so lens, hover, view and CLI agree', () => {
    const now = Date.UTC(2026, 0, 1);
    const sentence = 'checkout(): not enough data (19 before / 19 after) since a1b2c3d (AI diff)';
    assert.equal(aiLensTitle({ tool: 'Claude', timeMs: now - 2 * 3_600_000, commit: 'a1b2c3d4e5f6', state: 'confirmed', p95Ratio: 4.1, beforeAfter: sentence }, now), `AI diff (Claude, 2 h ago) · ${sentence}`);
  });

  it('says "not enough data" for an AI diff without before/after numbers', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    assert.equal(aiLensTitle({ tool: 'Copilot', timeMs: now - 60 * 60_000, state: 'confirmed' }, now), 'AI diff (Copilot, 1 h ago) · not enough data for before/after');
  });

  it('draws a sparkline scaled to the busiest minute', () => {
    assert.equal(sparkline([0, 1, 2, 4, 8]), '▁▂▃▅█');
    assert.equal(sparkline([0, 0]), '▁▁');
  });
});
