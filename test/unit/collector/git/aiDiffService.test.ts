import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AiDiffService, MemoryState } from '../../../../collector/git/aiDiffService';
import { Git } from '../../../../collector/git/git';
import type { AiDiff } from '../../../../collector/git/types';
import { lines, TempRepo } from './repo';

const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';
const spans = (d: AiDiff, path: string) => d.files.find((f) => f.path === path)!.ranges.map((r) => [r.start, r.end]);

describe('AI-diff service', () => {
  let repo: TempRepo;
  let state: MemoryState;
  const service = () => new AiDiffService({ workspace: repo.dir, state, git: new Git({ cwd: repo.dir, env: repo.env }) });

  beforeEach(() => {
    repo = new TempRepo();
    state = new MemoryState();
    repo.write('src/app.ts', lines(1, 10));
    repo.commit('human start');
    repo.write('src/app.ts', lines(1, 5) + 'ai 1\nai 2\nai 3\n' + lines(6, 10));
    repo.commit(`feat: ai\n\n${CLAUDE}`);
  });
  afterEach(() => repo.cleanup());

  it('moves ranges of a committed AI diff when the file is edited after the commit', async () => {
    const s = service();
    assert.deepEqual(spans((await s.refresh()).diffs[0], 'src/app.ts'), [[6, 8]]);
    repo.write('src/app.ts', 'top\n' + repo.read('src/app.ts'));
    assert.deepEqual(spans((await s.refresh()).diffs[0], 'src/app.ts'), [[7, 9]]);
  });

  it('shrinks ranges when some AI lines are deleted after the commit', async () => {
    const s = service();
    await s.refresh();
    repo.write('src/app.ts', lines(1, 5) + 'ai 1\nai 2\n' + lines(6, 10));
    assert.deepEqual(spans((await s.refresh()).diffs[0], 'src/app.ts'), [[6, 7]]);
  });

  it('keeps an AI diff whose lines are all deleted, with its ranges marked removed', async () => {
    const s = service();
    await s.refresh();
    repo.write('src/app.ts', lines(1, 10));
    const [d] = (await s.refresh()).diffs;
    assert.deepEqual(d.files[0].ranges, []);
    assert.deepEqual(d.removedRanges!.map((r) => [r.path, r.start, r.end]), [['src/app.ts', 6, 8]]);
  });

  it('follows a rebase that moves the AI lines: same entry, new commit, new lines', async () => {
    repo.git('checkout', '-q', '-b', 'feature');
    const s = service();
    const before = (await s.refresh()).diffs;
    repo.git('checkout', '-q', 'main');
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.write('src/app.ts', 'h1\nh2\n' + lines(1, 10));
    repo.commit('human header');
    repo.git('checkout', '-q', 'feature');
    repo.git('-c', 'core.editor=true', 'rebase', '-q', 'main');
    const after = (await s.refresh()).diffs;
    assert.equal(after.length, 1);
    assert.equal(after[0].id, before[0].id);
    assert.notEqual(after[0].commit, before[0].commit);
    assert.deepEqual(spans(after[0], 'src/app.ts'), [[8, 10]]);
  });

  it('reads only new commits on the next refresh', async () => {
    const s = service();
    await s.refresh();
    repo.write('src/b.ts', 'b\n');
    repo.commit(`feat: b\n\n${CLAUDE}`);
    const res = await s.refresh();
    assert.equal(s.lastScan!.mode, 'incremental');
    assert.equal(s.lastScan!.commitsRead, 1);
    assert.equal(res.diffs.length, 2);
  });

  it('round-trips the ledger through .vibewatch/ai-diffs.jsonl', async () => {
    const s = service();
    await s.refresh();
    await (await s.ledger()).mark({ file: join(repo.dir, 'src/app.ts'), startLine: 1, endLine: 2, text: 'line 1\nline 2\n' });
    const file = await s.exportShared();
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 2);
    state = new MemoryState();
    const other = new AiDiffService({ workspace: repo.dir, state, git: new Git({ cwd: repo.dir, env: { ...repo.env, PATH: '/nonexistent' } }) });
    const res = await other.refresh();
    assert.match(res.gitError!, /not installed/);
    assert.deepEqual(res.diffs.map((d) => [d.id, d.source]).sort(), (await s.ledger()).list().map((d) => [d.id, d.source]).sort());
  });

  it('imports Agent Trace records as AI diffs mapped onto the working copy', async () => {
    const rev = repo.git('rev-parse', 'HEAD').trim();
    mkdirSync(join(repo.dir, '.agent-trace'));
    const record = {
      version: '0.1.0', id: '550e8400-e29b-41d4-a716-446655440000', timestamp: '2026-01-23T14:30:00Z',
      vcs: { type: 'git', revision: rev }, tool: { name: 'cursor', version: '2.4.0' },
      files: [{ path: 'src/app.ts', conversations: [
        { contributor: { type: 'ai', model_id: 'anthropic/claude-opus-4-5-20251101' }, ranges: [{ start_line: 2, end_line: 3 }] },
        { contributor: { type: 'human' }, ranges: [{ start_line: 9, end_line: 9 }] },
      ] }],
    };
    writeFileSync(join(repo.dir, '.agent-trace/traces.jsonl'), JSON.stringify(record) + '\n');
    repo.write('src/app.ts', 'new top\n' + repo.read('src/app.ts'));
    const d = (await service().refresh()).diffs.find((x) => x.source === 'agent-trace')!;
    assert.equal(d.model, 'anthropic/claude-opus-4-5-20251101');
    assert.equal(d.tool, 'cursor');
    assert.equal(d.commit, rev);
    assert.deepEqual(spans(d, 'src/app.ts'), [[3, 4]]);
  });

  it('pins a hook-recorded diff to its commit once committed, so later edits move it instead of losing it', async () => {
    const s = service();
    repo.write('src/app.ts', repo.read('src/app.ts') + 'hook 1\nhook 2\nhook 3\n');
    const ledger = await s.ledger();
    const d = await ledger.add({ id: 'h:1', source: 'hook', files: [{ path: 'src/app.ts', ranges: [{ start: 14, end: 16, hash: '' }] }], timeMs: 1, confirmedBy: 'hook: Edit', state: 'confirmed' });
    await s.refresh();
    assert.equal(d.commit, undefined);
    const sha = repo.commit('agent work');
    await s.refresh();
    assert.equal(ledger.get('h:1')!.commit, sha);
    assert.equal(ledger.get('h:1')!.subject, 'agent work');
    // Rewrite the middle line (the content hash no longer matches) and add a line above.
    repo.write('src/app.ts', 'top\n' + repo.read('src/app.ts').replace('hook 2', 'hook two'));
    assert.deepEqual(spans((await s.refresh()).diffs.find((x) => x.id === 'h:1')!, 'src/app.ts'), [[15, 17]]);
  });

  it('reports a malformed Agent Trace line as a warning and still reads the good ones', async () => {
    mkdirSync(join(repo.dir, '.agent-trace'));
    const good = { version: '0.1.0', id: 'a1', timestamp: '2026-01-25T10:00:00Z', files: [{ path: 'src/app.ts', conversations: [{ contributor: { type: 'ai' }, ranges: [{ start_line: 1, end_line: 2 }] }] }] };
    writeFileSync(join(repo.dir, '.agent-trace/traces.jsonl'), '{not json\n' + JSON.stringify(good) + '\n');
    const res = await service().refresh();
    assert.equal(res.warnings!.length, 1);
    assert.match(res.warnings![0], /^\.agent-trace\/traces\.jsonl:1: /);
    const d = res.diffs.find((x) => x.id === 't:a1')!;
    assert.deepEqual(spans(d, 'src/app.ts'), [[1, 2]]);
  });

  it('still answers from the ledger in a folder that is not a repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-plain-'));
    try {
      writeFileSync(join(dir, 'a.js'), 'x\ny\n');
      const s = new AiDiffService({ workspace: dir, state, git: new Git({ cwd: dir, env: { ...repo.env, GIT_CEILING_DIRECTORIES: tmpdir() } }) });
      await (await s.ledger()).mark({ file: join(dir, 'a.js'), startLine: 2, endLine: 2, text: 'y\n' });
      writeFileSync(join(dir, 'a.js'), 'w\nx\ny\n');
      const res = await s.refresh();
      assert.match(res.gitError!, /not inside a git repository/);
      assert.deepEqual(spans(res.diffs[0], 'a.js'), [[3, 3]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
