import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git, GitError } from '../../../../collector/git/git';
import { TempRepo } from './repo';

describe('git runner', () => {
  let repo: TempRepo;
  before(() => {
    repo = new TempRepo();
    repo.write('a.txt', 'one\ntwo\n');
    repo.commit('first');
    repo.write('a.txt', 'one\ntwo\nthree\n');
    repo.commit('second');
  });
  after(() => repo.cleanup());

  it('reports "not-installed" when git is not on PATH', async () => {
    const git = new Git({ cwd: repo.dir, env: { ...repo.env, PATH: '/nonexistent-bin' } });
    await assert.rejects(git.root(), (err: unknown) => err instanceof GitError && err.code === 'not-installed' && /not installed/.test(err.message));
  });

  it('reports "not-a-repository" for a folder outside any repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-norepo-'));
    try {
      const git = new Git({ cwd: dir, env: { ...repo.env, GIT_CEILING_DIRECTORIES: tmpdir() } });
      await assert.rejects(git.root(), (err: unknown) => err instanceof GitError && err.code === 'not-a-repository');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports "not-a-repository" for a folder that does not exist', async () => {
    const git = new Git({ cwd: join(repo.dir, 'no-such-dir'), env: repo.env });
    await assert.rejects(git.root(), (err: unknown) => err instanceof GitError && err.code === 'not-a-repository');
  });

  it('shows a file at an older revision', async () => {
    const git = new Git({ cwd: repo.dir, env: repo.env });
    assert.equal(await git.show('HEAD~1', 'a.txt'), 'one\ntwo\n');
  });

  it('classifies an unknown revision as "bad-revision"', async () => {
    const git = new Git({ cwd: repo.dir, env: repo.env });
    await assert.rejects(git.show('deadbeef', 'a.txt'), (err: unknown) => err instanceof GitError && err.code === 'bad-revision');
  });

  it('reads many objects through one cat-file process, missing ones as undefined', async () => {
    const git = new Git({ cwd: repo.dir, env: repo.env });
    const m = await git.catFiles(['HEAD~1:a.txt', 'HEAD:a.txt', 'HEAD:missing.txt']);
    assert.equal(m.get('HEAD~1:a.txt'), 'one\ntwo\n');
    assert.equal(m.get('HEAD:a.txt'), 'one\ntwo\nthree\n');
    assert.equal(m.get('HEAD:missing.txt'), undefined);
  });

  it('resolves revisions and tells ancestry', async () => {
    const git = new Git({ cwd: repo.dir, env: repo.env });
    const head = await git.head();
    const prev = await git.resolve('HEAD~1');
    assert.match(head!, /^[0-9a-f]{40}$/);
    assert.equal(await git.isAncestor(prev!, head!), true);
    assert.equal(await git.isAncestor(head!, prev!), false);
    assert.equal(await git.resolve('no-such-branch'), undefined);
  });
});
