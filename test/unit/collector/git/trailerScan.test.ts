import { strict as assert } from 'node:assert';
import { Git } from '../../../../collector/git/git';
import { AiPatterns } from '../../../../collector/git/patterns';
import { scanTrailers } from '../../../../collector/git/trailerScan';
import { lines, TempRepo } from './repo';

describe('trailer and author scan', () => {
  let repo: TempRepo;
  let git: Git;
  const patterns = new AiPatterns();

  beforeEach(() => {
    repo = new TempRepo();
    git = new Git({ cwd: repo.dir, env: repo.env });
    repo.write('src/app.ts', lines(1, 10));
    repo.commit('human start');
  });
  afterEach(() => repo.cleanup());

  const aiCommits: [string, string, { name: string; email: string } | undefined, string][] = [
    ['Copilot co-author', 'feat: a\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>', undefined, 'GitHub Copilot'],
    ['Claude co-author', 'feat: b\n\nCo-authored-by: Claude <noreply@anthropic.com>', undefined, 'Claude'],
    ['Codex co-author', 'feat: c\n\nCo-authored-by: Codex <noreply@openai.com>', undefined, 'Codex'],
    ['Cursor co-author', 'feat: d\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>', undefined, 'Cursor'],
    ['Gemini co-author', 'feat: e\n\nCo-authored-by: Gemini <gemini-code-assist@google.com>', undefined, 'Gemini'],
    ['Junie co-author', 'feat: j\n\nCo-authored-by: Junie <junie@jetbrains.com>', undefined, 'Junie'],
    ['Devin co-author', 'feat: f\n\nCo-authored-by: Devin AI <158243242+devin-ai-integration[bot]@users.noreply.github.com>', undefined, 'Devin'],
    ['Assisted-by (kernel style)', 'feat: g\n\nAssisted-by: Claude:claude-opus-4 coccinelle', undefined, 'Claude'],
    ['Generated-by', 'feat: h\n\nGenerated-by: Windsurf', undefined, 'Windsurf'],
    ['Aider author', 'feat: i', { name: 'Dev Human (aider)', email: 'dev@example.com' }, 'Aider'],
    ['bot author', 'feat: j', { name: 'sweep-ai[bot]', email: 'bot@example.com' }, 'sweep-ai'],
    ['Copilot agent author', 'feat: k', { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com' }, 'GitHub Copilot'],
    ['Devin bot author', 'feat: l', { name: 'devin-ai-integration[bot]', email: '158243242+devin-ai-integration[bot]@users.noreply.github.com' }, 'Devin'],
  ];

  for (const [label, message, author, tool] of aiCommits) {
    it(`records a commit with ${label} as an AI diff (${tool})`, async () => {
      repo.write('src/app.ts', lines(1, 3) + 'ai 1\nai 2\n' + lines(4, 10));
      const sha = repo.commit(message, author);
      const res = await scanTrailers(git, patterns);
      assert.equal(res.diffs.length, 1);
      const d = res.diffs[0];
      assert.equal(d.commit, sha);
      assert.equal(d.tool, tool);
      assert.equal(d.state, 'confirmed');
      assert.deepEqual(d.files.map((f) => [f.path, f.ranges.map((r) => [r.start, r.end])]), [['src/app.ts', [[4, 5]]]]);
    });
  }

  it('reads the model from a kernel-style Assisted-by trailer', async () => {
    repo.write('src/app.ts', 'x\n');
    repo.commit('feat\n\nAssisted-by: Claude:claude-opus-4 coccinelle');
    const [d] = (await scanTrailers(git, patterns)).diffs;
    assert.equal(d.model, 'claude-opus-4');
  });

  it('ignores human commits and dependency bots', async () => {
    repo.write('package.json', '{}\n');
    repo.commit('chore: bump', { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' });
    repo.write('src/app.ts', 'changed\n');
    repo.commit('fix: by hand\n\nReviewed-by: Someone <s@example.com>');
    assert.equal((await scanTrailers(git, patterns)).diffs.length, 0);
  });

  it('turns every added line of a multi-file commit into ranges, not removed ones', async () => {
    repo.write('src/app.ts', lines(1, 2) + 'new a\n' + lines(4, 8) + 'new b\nnew c\n');
    repo.write('src/other.ts', 'o1\no2\no3\n');
    repo.commit('feat\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    const [d] = (await scanTrailers(git, patterns)).diffs;
    const byPath = Object.fromEntries(d.files.map((f) => [f.path, f.ranges.map((r) => [r.start, r.end])]));
    assert.deepEqual(byPath, { 'src/app.ts': [[3, 3], [9, 10]], 'src/other.ts': [[1, 3]] });
  });

  it('lets users add their own patterns', async () => {
    repo.write('src/app.ts', 'x\n');
    repo.commit('feat\n\nX-AI-Tool: inhouse-llm');
    const custom = new AiPatterns([{ tool: 'In-house', trailer: 'X-AI-Tool' }]);
    assert.equal((await scanTrailers(git, patterns)).diffs.length, 0);
    assert.equal((await scanTrailers(git, custom)).diffs[0].tool, 'In-house');
  });

  it('scans only new commits after the first scan', async () => {
    repo.write('src/app.ts', 'a\n');
    repo.commit('one\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    const first = await scanTrailers(git, patterns);
    assert.equal(first.mode, 'full');
    assert.equal(first.commitsRead, 2);
    assert.equal((await scanTrailers(git, patterns, first.head)).mode, 'none');
    repo.write('src/app.ts', 'a\nb\n');
    repo.commit('two\n\nCo-authored-by: Codex <noreply@openai.com>');
    const second = await scanTrailers(git, patterns, first.head);
    assert.equal(second.mode, 'incremental');
    assert.equal(second.commitsRead, 1);
    assert.deepEqual(second.diffs.map((d) => d.tool), ['Codex']);
  });

  it('rescans fully when history was rewritten, keeping the diff id of a rebased commit', async () => {
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/app.ts', lines(1, 10) + 'ai tail\n');
    const before = repo.commit('feat: tail\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    const first = await scanTrailers(git, patterns);
    repo.git('checkout', '-q', 'main');
    repo.write('src/app.ts', 'header 1\nheader 2\n' + lines(1, 10));
    repo.commit('human: header');
    repo.git('checkout', '-q', 'feature');
    repo.git('-c', 'core.editor=true', 'rebase', '-q', 'main');
    const second = await scanTrailers(git, patterns, first.head);
    assert.equal(second.rewritten, true);
    assert.equal(second.mode, 'full');
    assert.equal(second.diffs[0].id, first.diffs[0].id);
    assert.notEqual(second.diffs[0].commit, before);
    assert.deepEqual(second.diffs[0].files[0].ranges.map((r) => [r.start, r.end]), [[13, 13]]);
  });
});
