// A folder that becomes a git repository after the collector first looked at it (`git init`
// or a clone into an opened folder) is picked up later: the AI-diff ledger and the line
// remap ask git again instead of keeping "not a git repository" forever; a `git cat-file`
// whose stdin breaks rejects the call instead of crashing the collector.
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AiDiffService, MemoryState } from '../../../../collector/git/aiDiffService';
import { Git, GitError } from '../../../../collector/git/git';
import { LineRemapper } from '../../../../collector/git/lineRemap';
import { emptyBatch, SpanKind, StatusCode, type TelemetryBatch } from '../../../../collector/model/types';
import { lines, TempRepo } from './repo';

const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';

function spanAt(file: string, line: number, revision: string): TelemetryBatch {
  const b = emptyBatch();
  b.spans.push({
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'GET /orders', kind: SpanKind.Server,
    startNs: 1n, endNs: 2n, status: { code: StatusCode.Unset }, attributes: {}, events: [], links: [], scope: { name: 't' },
    resource: { attributes: { 'service.name': 'shop', 'vcs.ref.head.revision': revision }, serviceName: 'shop' },
    location: { file, line, via: 'attribute', confidence: 1 },
  });
  return b;
}

describe('a folder that becomes a git repository later', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo(false);
    repo.write('src/app.ts', lines(1, 10));
  });
  afterEach(() => repo.cleanup());

  it('gets its AI diffs on a later refresh of the same service', async () => {
    const s = new AiDiffService({ workspace: repo.dir, state: new MemoryState(), git: new Git({ cwd: repo.dir, env: repo.env }) });
    const first = await s.refresh();
    assert.match(first.gitError ?? '', /not inside a git repository/);
    assert.equal(first.diffs.length, 0);

    repo.git('init', '-q', '-b', 'main');
    repo.commit('human start');
    repo.write('src/app.ts', lines(1, 5) + 'ai 1\nai 2\n' + lines(6, 10));
    const sha = repo.commit(`feat: ai\n\n${CLAUDE}`);

    const second = await s.refresh();
    assert.equal(second.gitError, undefined);
    assert.equal(second.head, sha);
    assert.equal(second.diffs.length, 1);
    assert.equal(second.diffs[0].commit, sha);
    assert.deepEqual(second.diffs[0].files[0].ranges.map((r) => [r.start, r.end]), [[6, 7]]);
  });

  it('has its span locations remapped once it is a repository (line remap retries)', async () => {
    let t = 0;
    const remap = new LineRemapper((cwd) => new Git({ cwd, env: repo.env }), 1000, () => t);
    const file = join(repo.dir, 'src/app.ts');
    const early = spanAt(file, 4, 'f'.repeat(40));
    await remap.processor(early);
    assert.equal(early.spans[0].location!.line, 4);
    assert.equal(remap.stats.gitErrors, 1);

    repo.git('init', '-q', '-b', 'main');
    const deployed = repo.commit('deployed');
    repo.write('src/app.ts', 'import a\nimport b\n' + lines(1, 10));
    repo.commit('later');

    // Within the retry pause git is not asked again; after it, the line moves.
    const paused = spanAt(file, 4, deployed);
    await remap.processor(paused);
    assert.equal(paused.spans[0].location!.line, 4);
    assert.equal(remap.stats.gitErrors, 1);
    t = 1000;
    const later = spanAt(file, 4, deployed);
    await remap.processor(later);
    assert.equal(later.spans[0].location!.line, 6);
    assert.equal(remap.stats.remapped, 1);
  });
});

describe('git cat-file whose input pipe breaks', () => {
  it('rejects with a GitError and the process survives (no unhandled EPIPE)', async () => {
    const repo = new TempRepo();
    try {
      repo.write('a.txt', 'a\n');
      const sha = repo.commit('one');
      const git = new Git({ cwd: repo.dir, env: repo.env });
      await git.root();
      // Far more input than a pipe buffer holds, and the repository gone under the running
      // git: it dies on the first object and stops reading.
      const specs = Array.from({ length: 20_000 }, (_, i) => `${sha}:${'x'.repeat(200)}${i}`);
      rmSync(join(repo.dir, '.git'), { recursive: true, force: true });
      let crashed: unknown;
      const onUncaught = (err: unknown) => (crashed = err);
      process.prependListener('uncaughtException', onUncaught);
      try {
        await assert.rejects(git.catFiles(specs), (err: unknown) => err instanceof GitError);
        await new Promise((r) => setImmediate(r));
      } finally {
        process.removeListener('uncaughtException', onUncaught);
      }
      assert.equal(crashed, undefined);
    } finally {
      repo.cleanup();
    }
  });
});
