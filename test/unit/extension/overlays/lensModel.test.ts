import { strict as assert } from 'node:assert';
import type { LineStats } from '../../../../collector/live/protocol';
import { buildLenses, teamLenses, lensSources, type AiRangeInfo } from '../../../../extension/overlays/lensModel';
import { CONTROL, HOSTILE, renderLabel } from '../../../harness/renderedSinks';

const FILE = '/ws/src/orders.ts';
const now = Date.UTC(2026, 0, 1, 12);
const stats = (o: Partial<LineStats>): LineStats => ({ line: 1, kind: 'span', calls: 1, errors: 0, lastSeenMs: now, names: [], recentTraceIds: [], perMinute: [], ...o });
const ai = (o: Partial<AiRangeInfo>): AiRangeInfo => ({ diffId: 'd1', start: 1, end: 10, timeMs: now - 7_200_000, state: 'confirmed', source: 'trailer', tool: 'Claude', ...o });

describe('buildLenses', () => {
  it('puts one lens per line with span data, at that line, opening the traces there', () => {
    const lenses = buildLenses(FILE, [stats({ line: 4, calls: 1200, p95Ms: 340, errors: 0 })], [], now);
    assert.equal(lenses.length, 1);
    assert.deepEqual({ line: lenses[0].line, title: lenses[0].title, command: lenses[0].command, args: lenses[0].args }, { line: 3, title: '1.2k calls · p95 340 ms', command: 'vibewatch.openTraces', args: [{ file: FILE, line: 4 }] });
  });

  it('opens the errors panel from a line that has errors', () => {
    const [l] = buildLenses(FILE, [stats({ line: 4, calls: 10, errors: 3 })], [], now);
    assert.equal(l.command, 'vibewatch.openErrors');
  });

  it('gives nothing for a file without data or lines without calls', () => {
    assert.deepEqual(buildLenses(FILE, [], [ai({})], now), []);
    assert.deepEqual(buildLenses(FILE, [stats({ line: 2, calls: 0 })], [], now), []);
  });

  it('gives log call sites their own lens by severity', () => {
    const lenses = buildLenses(FILE, [stats({ line: 7, kind: 'log', calls: 5, logsBySeverity: { WARN: 5 } })], [], now);
    assert.deepEqual(lenses.map((l) => [l.line, l.title, l.command]), [[6, 'logged 5× · 5 WARN', 'vibewatch.openLogs']]);
  });

  it('adds one AI lens per AI range, above the first span line inside it', () => {
    const lenses = buildLenses(FILE, [stats({ line: 4 }), stats({ line: 6 })], [ai({ start: 3, end: 8, p95Ratio: 4.1, commit: 'a1b2c3d9' })], now);
    assert.deepEqual(lenses.map((l) => [l.line, l.title]), [
      [3, 'AI diff (Claude, 2 h ago) · p95 ↑4.1× since a1b2c3d'],
      [3, '1 call'],
      [5, '1 call'],
    ]);
  });

  it('puts the AI lens of a body-only range on its first line when its function was measured', () => {
    const spanAtStart = [stats({ line: 2, calls: 40 })];
    const lenses = buildLenses(FILE, spanAtStart, [ai({ start: 5, end: 6, measured: true, beforeAfter: 'shipping(): p95 ↑ 5.0× (40 before / 40 after) since a1b2c3d (AI diff)' })], now);
    assert.deepEqual(lenses.map((l) => [l.line, l.title]), [
      [1, '40 calls'],
      [4, 'AI diff (Claude, 2 h ago) · shipping(): p95 ↑ 5.0× (40 before / 40 after) since a1b2c3d (AI diff)'],
    ]);
    // Unmeasured, the same range gets no lens: nothing ran there that the collector knows of.
    assert.equal(buildLenses(FILE, spanAtStart, [ai({ start: 5, end: 6 })], now).length, 1);
  });

  it('shows no AI lens for a dismissed range', () => {
    const lenses = buildLenses(FILE, [stats({ line: 4 })], [ai({ state: 'dismissed' })], now);
    assert.equal(lenses.length, 1);
  });

  it('places lenses through the line map and drops lines the edits deleted', () => {
    const lenses = buildLenses(FILE, [stats({ line: 2 }), stats({ line: 5 })], [], now, (l) => (l === 1 ? undefined : l + 3));
    assert.deepEqual(lenses.map((l) => l.line), [7]);
  });
});

describe('buildLenses with hostile names', () => {
  for (const h of HOSTILE) {
    it(`shows ${JSON.stringify(h.slice(0, 40))} in titles and tooltips as one line with no codicon`, () => {
      const lenses = buildLenses(FILE, [stats({ line: 2, names: [h], logsBySeverity: { [h]: 3 } }), stats({ line: 2, kind: 'log', names: [h], logsBySeverity: { [h]: 3 } })], [ai({ tool: h, model: h, subject: h, commit: h, beforeAfter: h })], now);
      assert.equal(lenses.length, 3);
      for (const l of lenses) {
        assert.deepEqual(renderLabel(l.title).icons, [], l.title);
        assert.ok(!CONTROL.test(l.title) && !CONTROL.test(l.tooltip));
        assert.ok(l.title.length <= 120 && l.tooltip.length <= 500);
      }
    });
  }
});

describe('production lenses (team mode)', () => {
  it('labels production figures, puts them on the mapped line, and carries no telemetry text in the title', () => {
    const lines = [stats({ line: 8, calls: 30, p95Ms: 21, errors: 2, names: [...HOSTILE] }), stats({ line: 3, kind: 'log', calls: 4 }), stats({ line: 12, calls: 0 })];
    const lenses = teamLenses(lines, 'abcdef0123456789', (l) => (l === 7 ? 9 : l));
    assert.deepEqual(lenses.map((l) => [l.line, l.title, l.command]), [[9, '$(cloud) production: 30 calls · p95 21 ms · 2 errors', 'vibewatch.showTeamStatus']]);
    assert.match(lenses[0].tooltip, /^Production figures from the team collector at abcdef0, mapped onto this working copy: 30 calls/);
    // The span names (untrusted) reach only the plain-text tooltip; the one icon is ours.
    assert.deepEqual(renderLabel(lenses[0].title).icons, ['$(cloud)']);
    assert.deepEqual(renderLabel(lenses[0].tooltip).icons, []);
  });

  it('shows local, production or both as switched, and always local without a team collector', () => {
    assert.deepEqual(lensSources('both', true), { local: true, production: true });
    assert.deepEqual(lensSources('local', true), { local: true, production: false });
    assert.deepEqual(lensSources('production', true), { local: false, production: true });
    for (const show of ['both', 'local', 'production'] as const) assert.deepEqual(lensSources(show, false), { local: true, production: false });
  });

  it('drops a production line the user has since deleted', () => {
    assert.deepEqual(teamLenses([stats({ line: 5, calls: 3 })], undefined, () => undefined), []);
  });
});
