import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git } from '../../../../collector/git/git';
import { LineRemapper } from '../../../../collector/git/lineRemap';
import { emptyBatch, SpanKind, StatusCode, type TelemetryBatch } from '../../../../collector/model/types';
import { lines, TempRepo } from './repo';

function batchAt(file: string, line: number, attrs: Record<string, string>): TelemetryBatch {
  const b = emptyBatch();
  b.spans.push({
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'GET /orders', kind: SpanKind.Server,
    startNs: 1n, endNs: 2n, status: { code: StatusCode.Unset }, attributes: {}, events: [], links: [], scope: { name: 't' },
    resource: { attributes: { 'service.name': 'shop', ...attrs }, serviceName: 'shop' },
    location: { file, line, via: 'attribute', confidence: 1 },
  });
  return b;
}

describe('line remap processor', () => {
  let repo: TempRepo;
  let deployed: string;
  let remapper: LineRemapper;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/orders.ts', lines(1, 20));
    deployed = repo.commit('deployed');
    repo.write('src/orders.ts', 'import a\nimport b\n' + lines(1, 20));
    repo.commit('later');
    remapper = new LineRemapper((cwd) => new Git({ cwd, env: repo.env }));
  });
  afterEach(() => repo.cleanup());

  it("moves a span's location from the deployed revision's line to today's", async () => {
    const b = batchAt(join(repo.dir, 'src/orders.ts'), 10, { 'vcs.ref.head.revision': deployed });
    await remapper.processor(b);
    assert.equal(b.spans[0].location!.line, 12);
    assert.equal(remapper.stats.remapped, 1);
  });

  it('leaves locations alone without a revision, or with one git does not know', async () => {
    const none = batchAt(join(repo.dir, 'src/orders.ts'), 10, {});
    const unknown = batchAt(join(repo.dir, 'src/orders.ts'), 10, { 'git.commit.sha': 'deadbeefdeadbeef' });
    await remapper.remap(none);
    await remapper.remap(unknown);
    assert.equal(none.spans[0].location!.line, 10);
    assert.equal(unknown.spans[0].location!.line, 10);
    assert.equal(remapper.stats.unmapped, 1);
  });

  it('counts git trouble instead of failing the batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-remap-'));
    try {
      writeFileSync(join(dir, 'a.ts'), 'x\n');
      const r = new LineRemapper((cwd) => new Git({ cwd, env: { ...repo.env, PATH: '/nonexistent' } }));
      const b = batchAt(join(dir, 'a.ts'), 1, { 'git.commit.sha': deployed });
      await r.remap(b);
      assert.equal(b.spans[0].location!.line, 1);
      assert.equal(r.stats.gitErrors, 1);
      assert.match(r.stats.lastError!, /not installed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
