// Benchmark of the commits-and-AI-diffs area: scan a generated 5,000-commit repository for
// AI trailers (target: under 5 s), against a ceiling measured in the same run (a bare
// `git log --format=%H` of the same repository: no scan can be faster than reading the
// history once), then the incremental rescan after a few new commits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AiDiffService, MemoryState } from '../collector/git/aiDiffService';
import { Git } from '../collector/git/git';
import { AiPatterns } from '../collector/git/patterns';
import { scanTrailers } from '../collector/git/trailerScan';

const COMMITS = 5000;
const FILES = 100;
/** Every 10th commit carries an AI trailer, every 50th has an aider author. */
const TRAILERS = ['Co-authored-by: Claude <noreply@anthropic.com>', 'Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>', 'Assisted-by: Codex:gpt-5-codex', 'Generated-by: Cursor'];

export async function benchGit(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'vw-bench-git-'));
  const home = mkdtempSync(join(tmpdir(), 'vw-bench-home-'));
  const env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  try {
    git('init', '-q', '-b', 'main');
    let t = performance.now();
    const stream = fastImportStream(0, COMMITS, undefined);
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: stream, maxBuffer: 64 * 1024 * 1024 });
    git('reset', '-q', '--hard', 'main');
    const generateMs = performance.now() - t;

    t = performance.now();
    const hashes = git('log', '--format=%H').split('\n').filter(Boolean).length;
    const ceilingMs = performance.now() - t;

    const g = new Git({ cwd: dir, env });
    const patterns = new AiPatterns();
    t = performance.now();
    const full = await scanTrailers(g, patterns);
    const scanMs = performance.now() - t;

    // Ten more commits (the first with a trailer), then the incremental rescan.
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: fastImportStream(COMMITS, 10, 'refs/heads/main^0'), maxBuffer: 64 * 1024 * 1024 });
    git('reset', '-q', '--hard', 'main');
    t = performance.now();
    const inc = await scanTrailers(g, patterns, full.head);
    const incrementalMs = performance.now() - t;

    // The whole refresh the CLI does from git alone (scan + mapping every range onto the
    // working copy), first and second time (second: nothing changed, caches hold).
    const service = new AiDiffService({ workspace: dir, state: new MemoryState(), git: g, importShared: false });
    t = performance.now();
    const res = await service.refresh();
    const refreshMs = performance.now() - t;
    t = performance.now();
    await service.refresh();
    const refreshAgainMs = performance.now() - t;

    return {
      commits: hashes,
      aiCommits: full.diffs.length,
      generateMs: round(generateMs),
      ceilingGitLogMs: round(ceilingMs),
      trailerScanMs: round(scanMs),
      scanOverCeiling: round(scanMs / ceilingMs),
      underFiveSeconds: scanMs < 5000,
      incremental: { newCommits: inc.commitsRead, newAiDiffs: inc.diffs.length, mode: inc.mode, ms: round(incrementalMs) },
      fullRefreshMs: round(refreshMs),
      refreshAgainMs: round(refreshAgainMs),
      ledgerEntries: res.diffs.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

/** A fast-import stream of `n` commits after commit number `from`, each appending lines to
 *  one of FILES files (so -U0 hunks are realistic), every 10th with an AI trailer. */
function fastImportStream(from: number, n: number, parent: string | undefined): Buffer {
  const sizes = new Array<number>(FILES).fill(0);
  const contents = new Array<string>(FILES).fill('');
  // Rebuild file state deterministically so appended commits continue the same files.
  for (let i = 0; i < from; i++) grow(i, sizes, contents);
  const parts: string[] = [];
  for (let i = from; i < from + n; i++) {
    const f = grow(i, sizes, contents);
    const time = 1_700_000_000 + i * 60;
    const ai = i % 10 === 0;
    const msg = `change ${i} in file ${f}\n` + (ai ? `\n${TRAILERS[(i / 10) % TRAILERS.length]}\n` : '');
    const author = i % 50 === 25 ? 'Dev (aider) <dev@example.com>' : 'Dev <dev@example.com>';
    parts.push(`commit refs/heads/main\nauthor ${author} ${time} +0000\ncommitter Dev <dev@example.com> ${time} +0000\n`);
    parts.push(`data ${Buffer.byteLength(msg)}\n${msg}`);
    if (i === from && parent) parts.push(`from ${parent}\n`);
    parts.push(`M 100644 inline src/file${f}.ts\ndata ${Buffer.byteLength(contents[f])}\n${contents[f]}\n`);
  }
  return Buffer.from(parts.join(''));
}

function grow(i: number, sizes: number[], contents: string[]): number {
  const f = (i * 7) % FILES;
  const add = 1 + (i % 3);
  for (let k = 0; k < add; k++) contents[f] += `export const v${f}_${sizes[f]++} = ${i} + ${k};\n`;
  return f;
}

const round = (x: number) => Math.round(x * 10) / 10;

if (require.main === module) {
  benchGit().then((r) => console.log(JSON.stringify(r, null, 2)), (err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
