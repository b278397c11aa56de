import { strict as assert } from 'node:assert';
import { MemoryState, AiDiffService } from '../../../../collector/git/aiDiffService';
import { BlameCache, UNCOMMITTED } from '../../../../collector/git/blame';
import { Git } from '../../../../collector/git/git';
import { lines, TempRepo } from './repo';

describe('blame', () => {
  let repo: TempRepo;
  let git: Git;
  let human: string;
  let ai: string;
  beforeEach(() => {
    repo = new TempRepo();
    git = new Git({ cwd: repo.dir, env: repo.env });
    repo.write('src/app.ts', lines(1, 6));
    human = repo.commit('human');
    repo.write('src/app.ts', lines(1, 3) + 'ai a\nai b\n' + lines(4, 6));
    ai = repo.commit('feat\n\nCo-authored-by: Claude <noreply@anthropic.com>');
  });
  afterEach(() => repo.cleanup());

  it('attributes each line to the commit that last touched it, with author and original line', async () => {
    const b = await new BlameCache(git).blame('src/app.ts');
    assert.deepEqual(b.map((l) => [l.line, l.commit === ai ? 'ai' : l.commit === human ? 'human' : '?', l.origLine]), [
      [1, 'human', 1], [2, 'human', 2], [3, 'human', 3], [4, 'ai', 4], [5, 'ai', 5], [6, 'human', 4], [7, 'human', 5], [8, 'human', 6],
    ]);
    assert.equal(b[0].author, 'Dev Human');
    assert.equal(b[3].summary, 'feat');
    assert.equal(b[3].text, 'ai a');
  });

  it('blames only a line range with -L', async () => {
    const b = await new BlameCache(git).blame('src/app.ts', { start: 4, end: 5 });
    assert.deepEqual(b.map((l) => [l.line, l.commit]), [[4, ai], [5, ai]]);
  });

  it('blames at a revision', async () => {
    const b = await new BlameCache(git).blame('src/app.ts', { rev: human });
    assert.equal(b.length, 6);
    assert.ok(b.every((l) => l.commit === human));
  });

  it('caches per file and revision, and re-blames the working copy after it changes', async () => {
    const cache = new BlameCache(git);
    const first = await cache.blame('src/app.ts');
    assert.equal(await cache.blame('src/app.ts'), first);
    repo.write('src/app.ts', 'edited\n' + repo.read('src/app.ts'));
    const second = await cache.blame('src/app.ts');
    assert.equal(second[0].commit, UNCOMMITTED);
    assert.equal(second[4].commit, ai);
    cache.invalidate('src/app.ts');
    assert.equal(cache.size, 0);
  });

  it('maps a blamed line to its AI diff in the ledger', async () => {
    const s = new AiDiffService({ workspace: repo.dir, state: new MemoryState(), git });
    await s.refresh();
    const [line] = await new BlameCache(git).blame('src/app.ts', { start: 5 });
    const ledger = await s.ledger();
    assert.equal(ledger.list().find((d) => d.commit === line.commit)?.tool, 'Claude');
    assert.equal(ledger.at('src/app.ts', 5)[0].commit, line.commit);
    assert.equal(ledger.at('src/app.ts', 6).length, 0);
  });
});
