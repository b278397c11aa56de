import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Git } from '../../../../collector/git/git';
import { toRowBatch } from '../../../../collector/store/rows';
import { RevisionCells } from '../../../../collector/timeseries/revisionCells';
import { RevisionLatency, beforeAfterForDiff } from '../../../../collector/git/revisionLatency';
import type { AiDiff } from '../../../../collector/git/types';
import { SpanKind, type Span } from '../../../../collector/model/types';
import { at, batchOf, resource, span as build } from '../../../harness/spans';
import { TempRepo, lines } from './repo';

function span(file: string, line: number, revision: string, ms: number, error = false): Span {
  return build({ name: 'GET /orders', kind: SpanKind.Server, service: resource('shop', {}, revision), atMs: 1_700_000_000_000, durMs: ms, error, location: at(file, line) });
}

function feed(table: RevisionLatency, spans: Span[]): void {
  // The store folds each journal record into the cells (collector/timeseries/timeSeries.ts).
  table.cells.addRows(toRowBatch(batchOf(spans)));
}

const aiDiff = (commit: string | undefined, file: string): AiDiff => ({
  id: 'd1', source: 'trailer', tool: 'Claude', files: [{ path: file, ranges: [{ start: 3, end: 3, hash: 'h' }] }], commit, timeMs: 0, confirmedBy: 'trailer', state: 'confirmed',
} as AiDiff);

describe('RevisionLatency (before/after of an AI diff from telemetry)', () => {
  let repo: TempRepo;
  let base: string;
  let ai: string;
  let file: string;
  before(() => {
    repo = new TempRepo();
    repo.write('app.js', lines(1, 5));
    base = repo.commit('base');
    repo.write('app.js', lines(1, 2) + 'line 3 rewritten by an AI\n' + lines(4, 5));
    ai = repo.commit('Rewrite line 3\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    file = join(repo.dir, 'app.js');
  });
  after(() => repo.cleanup());

  it('compares the revisions without the commit against those with it', async () => {
    const table = new RevisionLatency();
    feed(table, Array.from({ length: 40 }, (_, i) => span(file, 3, base, 10 + (i % 5))));
    feed(table, Array.from({ length: 40 }, (_, i) => span(file, 3, ai, 50 + (i % 5), i % 10 === 0)));
    const git = new Git({ cwd: repo.dir, env: repo.env });
    const ba = await beforeAfterForDiff(table, git, file, [{ start: 3, end: 3, hash: 'h' }], aiDiff(ai, 'app.js'));
    assert.ok(ba);
    assert.equal(ba.status, 'ok');
    assert.ok(ba.p95Ratio! > 3.5 && ba.p95Ratio! < 5.5, `p95 ratio ${ba.p95Ratio}`);
    assert.equal(ba.before.calls, 40);
    assert.equal(ba.after.calls, 40);
    assert.equal(ba.after.errors, 4);
    assert.match(ba.summary, new RegExp(`^p95 ↑ \\d\\.\\d×.* \\(40 before / 40 after\\) since ${ai.slice(0, 7)} \\(AI diff\\)$`));
  });

  it('says "not enough data" when one side has too few calls', async () => {
    const table = new RevisionLatency();
    feed(table, Array.from({ length: 3 }, () => span(file, 3, base, 10)));
    feed(table, Array.from({ length: 40 }, () => span(file, 3, ai, 50)));
    const ba = await beforeAfterForDiff(table, new Git({ cwd: repo.dir, env: repo.env }), file, [{ start: 3, end: 3, hash: 'h' }], aiDiff(ai, 'app.js'));
    assert.equal(ba?.status, 'not-enough-data');
    assert.match(ba!.reasons.join(' '), /3 calls before/);
  });

  it('gives nothing for an uncommitted diff or lines no revision ran', async () => {
    const table = new RevisionLatency();
    feed(table, [span(file, 3, base, 10)]);
    const git = new Git({ cwd: repo.dir, env: repo.env });
    assert.equal(await beforeAfterForDiff(table, git, file, [{ start: 3, end: 3, hash: 'h' }], aiDiff(undefined, 'app.js')), undefined);
    assert.equal(await beforeAfterForDiff(table, git, file, [{ start: 9, end: 9, hash: 'h' }], aiDiff(ai, 'app.js')), undefined);
  });

  it('survives a save and load, and stays within its bounds', () => {
    const table = new RevisionLatency(new RevisionCells({ maxLocations: 2, maxRevisions: 2 }));
    feed(table, [span(file, 1, 'r1', 5), span(file, 2, 'r1', 5), span(file, 3, 'r1', 5)]);
    assert.equal(table.overflow, 1, 'a third location is not tracked');
    feed(table, [span(file, 1, 'r2', 6), span(file, 1, 'r3', 7)]);
    assert.deepEqual(table.samples(file, [{ start: 1, end: 1 }]).map((s) => s.revision).sort(), ['r2', 'r3'], 'oldest revision dropped');
    const back = new RevisionLatency();
    back.cells.load(JSON.parse(JSON.stringify(table.cells.toJSON())));
    assert.deepEqual(back.samples(file, [{ start: 1, end: 2 }]).map((s) => [s.revision, s.calls]).sort(), [['r1', 1], ['r2', 1], ['r3', 1]]);
  });
});
