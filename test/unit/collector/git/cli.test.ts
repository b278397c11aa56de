import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, type CliIo } from '../../../../collector/cli/command';
import { MemoryState } from '../../../../collector/git/aiDiffService';
import { aiDiffsCommand, recordDiffCommand } from '../../../../collector/cli/gitCommands';
import { Git } from '../../../../collector/git/git';
import { AiDiffServices, createGitHandlers } from '../../../../collector/git/handlers';
import type { AiDiffsResult } from '../../../../collector/git/types';
import { LiveClient } from '../../../../collector/live/client';
import { findFreePort } from '../../../../collector/live/probe';
import type { FileSummary } from '../../../../collector/live/protocol';
import { serveHandlers, type ServedHandlers } from '../live/serveHandlers';
import { lines, TempRepo } from './repo';

function io(env: NodeJS.ProcessEnv, stdin = '') {
  const out = { stdout: '', stderr: '' };
  const cli: CliIo = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), readStdin: async () => stdin, env };
  return { cli, out };
}

describe('vibewatch ai-diffs / record-diff', () => {
  let repo: TempRepo;
  let freePort: string;
  before(async () => {
    freePort = String(await findFreePort());
  });
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/app.ts', lines(1, 5));
    repo.commit('start');
    repo.write('src/app.ts', lines(1, 5) + 'ai 1\nai 2\n');
    repo.commit('feat: ai tail\n\nCo-authored-by: Claude <noreply@anthropic.com>');
  });
  afterEach(() => repo.cleanup());

  it('prints the ledger as JSON from git alone when no collector answers', async () => {
    const { cli, out } = io(repo.env);
    assert.equal(await aiDiffsCommand.run(parseArgs(['--workspace', repo.dir, '--json', '--port', freePort]), cli), 0);
    const r = JSON.parse(out.stdout) as AiDiffsResult;
    assert.equal(r.from, 'git');
    assert.deepEqual(r.diffs.map((d) => [d.tool, d.subject, d.files[0].ranges.map((x) => [x.start, x.end])]), [['Claude', 'feat: ai tail', [[6, 7]]]]);
  });

  it('prints a readable list without --json', async () => {
    const { cli, out } = io(repo.env);
    await aiDiffsCommand.run(parseArgs(['--workspace', repo.dir, '--no-collector']), cli);
    assert.match(out.stdout, /1 AI diff\(s\) in .* \(from git\)/);
    assert.match(out.stdout, /\[confirmed\] [0-9a-f]{7} Claude "feat: ai tail"\n {4}src\/app\.ts:6-7/);
  });

  it('says why git is unusable and still prints the shared ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-cli-plain-'));
    try {
      const { cli, out } = io({ ...repo.env, PATH: '/nonexistent' });
      assert.equal(await aiDiffsCommand.run(parseArgs(['--workspace', dir, '--json', '--no-collector']), cli), 0);
      assert.match(out.stderr, /git is not installed/);
      assert.deepEqual((JSON.parse(out.stdout) as AiDiffsResult).diffs, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records a unified diff from stdin into .vibewatch/ai-diffs.jsonl, which ai-diffs then lists', async () => {
    repo.write('src/app.ts', lines(1, 5) + 'ai 1\nai 2\nagent 1\nagent 2\n');
    const diff = repo.git('diff', '-U0');
    const rec = io(repo.env, diff);
    assert.equal(await recordDiffCommand.run(parseArgs(['--workspace', repo.dir, '--tool', 'aider', '--model', 'gpt-5']), rec.cli), 0);
    assert.match(rec.out.stdout, /recorded h:.*: 2 line\(s\) in 1 file/);
    assert.equal(readFileSync(join(repo.dir, '.vibewatch/ai-diffs.jsonl'), 'utf8').trim().split('\n').length, 1);
    const { cli, out } = io(repo.env);
    await aiDiffsCommand.run(parseArgs(['--workspace', repo.dir, '--json', '--no-collector']), cli);
    const hook = (JSON.parse(out.stdout) as AiDiffsResult).diffs.find((d) => d.source === 'hook')!;
    assert.deepEqual([hook.tool, hook.model, hook.files[0].ranges.map((x) => [x.start, x.end])], ['aider', 'gpt-5', [[8, 9]]]);
  });

  it('records a Claude Code hook payload, finding the workspace from its cwd', async () => {
    repo.write('src/app.ts', 'header\n' + repo.read('src/app.ts'));
    const payload = { session_id: 'abc', cwd: repo.dir, hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: join(repo.dir, 'src/app.ts'), old_string: '', new_string: 'header\n' } };
    const rec = io(repo.env, JSON.stringify(payload));
    assert.equal(await recordDiffCommand.run(parseArgs(['--json']), rec.cli), 0);
    const d = JSON.parse(rec.out.stdout);
    assert.deepEqual([d.tool, d.files[0].path, d.files[0].ranges[0].start], ['claude-code', 'src/app.ts', 1]);
    assert.ok(existsSync(join(repo.dir, '.vibewatch/ai-diffs.jsonl')));
  });

  it('exits 1 with a message for input it cannot read', async () => {
    const rec = io(repo.env, 'not a diff');
    assert.equal(await recordDiffCommand.run(parseArgs(['--workspace', repo.dir]), rec.cli), 1);
    assert.match(rec.out.stderr, /neither a unified diff nor an agent hook/);
  });

  describe('with a running collector', () => {
    let served: ServedHandlers;
    let port: number;
    beforeEach(async () => {
      const services = new AiDiffServices(new MemoryState(), { gitFor: (ws) => new Git({ cwd: ws, env: repo.env }) });
      const runtime = {
        // Telemetry at the AI lines 6-7: 200 calls, 30 errors; nothing elsewhere.
        fileSummary: async (file: string): Promise<FileSummary> => ({
          file,
          lines: file.endsWith('src/app.ts') ? [{ line: 6, kind: 'span', calls: 200, errors: 30, lastSeenMs: 1, names: ['GET /x'], recentTraceIds: [], perMinute: [] }] : [],
        }),
        findings: async () => ({ slowQueries: 0, nPlusOnes: 1 }),
      };
      served = await serveHandlers(createGitHandlers({ services, runtime }));
      port = served.port;
    });
    afterEach(async () => {
      await served.close();
    });

    it('prints runtime numbers and a risk score from the collector', async () => {
      const { cli, out } = io(repo.env);
      assert.equal(await aiDiffsCommand.run(parseArgs(['--workspace', repo.dir, '--json', '--port', String(port), '--storage', served.storage]), cli), 0);
      const r = JSON.parse(out.stdout) as AiDiffsResult;
      assert.equal(r.from, 'collector');
      const [d] = r.diffs;
      assert.deepEqual(d.runtime, { calls: 200, errors: 30, observedLines: 1, totalLines: 2, slowQueries: 0, nPlusOnes: 1 });
      assert.deepEqual(d.risk!.reasons, ['30 errors in its functions since it shipped (15.0% of 200 calls)', '1 N+1 query pattern issued from it']);
    });

    it('takes editor captures and decisions over the live protocol', async () => {
      const client = new LiveClient({ port, secret: served.secret });
      try {
        await client.connect();
        const { diff } = await client.request('aiDiffEdit', { workspace: repo.dir, op: 'recordSuspected', file: join(repo.dir, 'src/app.ts'), startLine: 1, endLine: 3, text: lines(1, 3) });
        assert.equal(diff!.state, 'suspected');
        assert.equal((await client.request('aiDiffEdit', { workspace: repo.dir, op: 'confirm', id: diff!.id })).diff!.state, 'confirmed');
        await assert.rejects(client.request('aiDiffEdit', { workspace: repo.dir, op: 'dismiss', id: 'nope' }), /no AI diff nope/);
        const all = await client.request('aiDiffs', { workspace: repo.dir });
        assert.deepEqual(all.diffs.map((d) => d.source).sort(), ['editor', 'trailer']);
      } finally {
        client.dispose();
      }
    });
  });
});
