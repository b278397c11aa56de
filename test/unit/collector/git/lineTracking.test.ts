import { strict as assert } from 'node:assert';
import { Git } from '../../../../collector/git/git';
import { hashLines, hashRange, splitLines } from '../../../../collector/git/hash';
import { lineMapping, mapLine, refindByHash, trackRanges } from '../../../../collector/git/lineTracking';
import { mapLineFromRevision, RevisionLineMapper } from '../../../../collector/git/revisionMapper';
import { lines, TempRepo } from './repo';

const range = (text: string, start: number, end: number) => ({ start, end, hash: hashRange(splitLines(text), start, end) });
const spans = (rs: { start: number; end: number }[]) => rs.map((r) => [r.start, r.end]);

describe('line tracking', () => {
  const base = lines(1, 10);

  it('moves a range down when lines are inserted above it', () => {
    const now = 'new a\nnew b\nnew c\n' + base;
    const t = trackRanges(base, now, [range(base, 4, 6)]);
    assert.deepEqual(spans(t.ranges), [[7, 9]]);
    assert.equal(t.ranges[0].hash, range(base, 4, 6).hash);
  });

  it('shrinks a range when some of its lines are deleted', () => {
    const now = lines(1, 5) + lines(7, 10);
    const t = trackRanges(base, now, [range(base, 4, 7)]);
    assert.deepEqual(spans(t.ranges), [[4, 6]]);
    assert.equal(t.removed.length, 0);
  });

  it('marks a range removed when all its lines are gone, instead of dropping it', () => {
    const now = lines(1, 3) + lines(7, 10);
    const r = range(base, 4, 6);
    const t = trackRanges(base, now, [r]);
    assert.deepEqual(t.ranges, []);
    assert.deepEqual(t.removed, [r]);
  });

  it('keeps lines inserted inside a range within it', () => {
    const now = lines(1, 4) + 'inserted\n' + lines(5, 10);
    assert.deepEqual(spans(trackRanges(base, now, [range(base, 4, 6)]).ranges), [[4, 7]]);
  });

  it('maps a rewritten line to the nearest surviving place, flagged inexact', () => {
    const now = lines(1, 4) + 'rewritten\n' + lines(6, 10);
    assert.deepEqual(mapLine(base, now, 5), { line: 5, exact: false });
    assert.deepEqual(mapLine('x\n' + base, base, 3), { line: 2, exact: true });
  });

  it('handles CRLF and a missing final newline as the same lines', () => {
    const m = lineMapping('a\r\nb\r\nc', 'a\nb\nc\n')!;
    assert.deepEqual([1, 2, 3].map((l) => m.exact(l)), [1, 2, 3]);
  });

  it('re-finds a range by content hash after it moved', () => {
    const r = { start: 2, end: 3, hash: hashLines(['line 2', 'line 3']) };
    const now = splitLines('z\nz\nz\n' + base);
    assert.deepEqual(spans([refindByHash(r, now)!]), [[5, 6]]);
    assert.equal(refindByHash({ ...r, hash: hashLines(['nowhere']) }, now), undefined);
  });
});

describe('mapLineFromRevision', () => {
  let repo: TempRepo;
  let git: Git;
  let rev: string;
  before(() => {
    repo = new TempRepo();
    git = new Git({ cwd: repo.dir, env: repo.env });
    repo.write('src/orders.ts', lines(1, 20));
    rev = repo.commit('deployed');
    repo.write('src/orders.ts', 'import x\nimport y\n' + lines(1, 9) + lines(12, 20));
    repo.commit('later');
    repo.write('src/orders.ts', '// header\nimport x\nimport y\n' + lines(1, 9) + lines(12, 20));
  });
  after(() => repo.cleanup());

  it("maps telemetry from the deployed revision's line to today's working-copy line", async () => {
    assert.deepEqual(await mapLineFromRevision(git, rev, 'src/orders.ts', 15), { line: 16, exact: true });
  });

  it('accepts an absolute path inside the repository', async () => {
    assert.deepEqual(await mapLineFromRevision(git, rev, `${repo.dir}/src/orders.ts`, 1), { line: 4, exact: true });
  });

  it('maps a line deleted since the revision next to where it was', async () => {
    assert.deepEqual(await mapLineFromRevision(git, rev, 'src/orders.ts', 10), { line: 13, exact: false });
  });

  it('answers undefined for an unknown revision or file', async () => {
    assert.equal(await mapLineFromRevision(git, 'deadbeef', 'src/orders.ts', 1), undefined);
    assert.equal(await mapLineFromRevision(git, rev, 'src/missing.ts', 1), undefined);
  });

  it('recomputes the mapping when the working file changes', async () => {
    const mapper = new RevisionLineMapper(git);
    assert.equal((await mapper.map(rev, 'src/orders.ts', 1))?.line, 4);
    repo.write('src/orders.ts', lines(1, 20));
    assert.equal((await mapper.map(rev, 'src/orders.ts', 1))?.line, 1);
  });
});
