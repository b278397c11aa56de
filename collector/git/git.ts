// The one way the collector talks to git: `execFile('git', args)` (never a shell string, so no
// path or revision is ever interpreted by a shell). Failures become a `GitError` with a code
// callers can switch on; "git is not installed" and "not a repository" are expected
// situations the rest of Vibewatch keeps working through.
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

export type GitErrorCode = 'not-installed' | 'not-a-repository' | 'bad-revision' | 'failed';

export class GitError extends Error {
  constructor(
    readonly code: GitErrorCode,
    message: string,
    readonly args: readonly string[] = [],
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  /** Working directory: the workspace folder (any folder inside the repository). */
  cwd: string;
  /** Environment for git (tests pass a temp HOME; PATH decides which git runs). */
  env?: NodeJS.ProcessEnv;
  /** Largest stdout accepted, bytes. Default 256 MiB (a full `git log` of a big repo). */
  maxBuffer?: number;
  timeoutMs?: number;
}

const NOT_REPO = /not a git repository/i;
const BAD_REV = /unknown revision|bad revision|invalid object name|does not exist in|exists on disk, but not in|not a valid object name|needed a single revision|bad object|fatal: path '.*' does not exist/i;

export class Git {
  private readonly env: NodeJS.ProcessEnv;
  private rootCache?: string;

  constructor(private readonly opts: GitOptions) {
    // LC_ALL=C so the messages we classify are in English; no prompts, no pager.
    this.env = { ...(opts.env ?? process.env), LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' };
  }

  get cwd(): string {
    return this.opts.cwd;
  }

  /** Runs git and resolves with stdout; rejects with a classified `GitError`. */
  run(args: string[]): Promise<string> {
    if (!existsSync(this.opts.cwd) || !statSync(this.opts.cwd).isDirectory()) {
      return Promise.reject(new GitError('not-a-repository', `${this.opts.cwd} is not a folder`, args));
    }
    const full = ['-c', 'core.quotepath=off', '-c', 'color.ui=false', ...args];
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        full,
        { cwd: this.opts.cwd, env: this.env, maxBuffer: this.opts.maxBuffer ?? 256 * 1024 * 1024, timeout: this.opts.timeoutMs ?? 60_000, encoding: 'utf8', windowsHide: true },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          reject(classify(err as NodeJS.ErrnoException & { code?: unknown }, args, String(stderr ?? ''), this.opts.cwd));
        },
      );
    });
  }

  /** Absolute repository root (forward slashes); throws not-a-repository outside one. */
  async root(): Promise<string> {
    if (!this.rootCache) this.rootCache = (await this.run(['rev-parse', '--show-toplevel'])).trim().replace(/\\/g, '/');
    return this.rootCache;
  }

  /** HEAD's full SHA, or undefined in a repository without commits. */
  async head(): Promise<string | undefined> {
    try {
      return (await this.run(['rev-parse', '--verify', '-q', 'HEAD^{commit}'])).trim() || undefined;
    } catch (err) {
      if (err instanceof GitError && (err.code === 'failed' || err.code === 'bad-revision')) return undefined;
      throw err;
    }
  }

  /** Full SHA of a revision (SHA prefix, tag, branch); undefined when it names nothing. */
  async resolve(rev: string): Promise<string | undefined> {
    if (rev.startsWith('-')) throw new GitError('bad-revision', `revision must not start with "-": ${rev}`);
    try {
      return (await this.run(['rev-parse', '--verify', '-q', `${rev}^{commit}`])).trim() || undefined;
    } catch (err) {
      if (err instanceof GitError && (err.code === 'failed' || err.code === 'bad-revision')) return undefined;
      throw err;
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.run(['merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch (err) {
      // Exit 1 means "no"; a missing object (history rewritten and pruned) also means no.
      if (err instanceof GitError && (err.code === 'failed' || err.code === 'bad-revision')) return false;
      throw err;
    }
  }

  /** Contents of many `REV:path` objects through one `git cat-file --batch` process;
   *  a missing object maps to undefined. */
  async catFiles(specs: readonly string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    const unique = [...new Set(specs)].filter((s) => !s.includes('\n'));
    if (!unique.length) return out;
    await this.root();
    const buf = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], { cwd: this.opts.cwd, env: this.env, windowsHide: true });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', (err) => reject(classify(err as NodeJS.ErrnoException, ['cat-file'], stderr, this.opts.cwd)));
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new GitError('failed', `git cat-file failed: ${stderr.trim()}`, ['cat-file'], stderr))));
      // git can exit before reading all of stdin (a repository removed under it, a crash):
      // the write then fails with EPIPE, which must reject this call, not crash the process.
      child.stdin.on('error', (err) => reject(new GitError('failed', `git cat-file failed: ${(err as Error).message}${stderr ? ` (${stderr.trim()})` : ''}`, ['cat-file'], stderr)));
      child.stdin.end(unique.join('\n') + '\n');
    });
    let pos = 0;
    for (const spec of unique) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const header = buf.toString('utf8', pos, nl);
      pos = nl + 1;
      const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!m) { out.set(spec, undefined); continue; }
      const size = Number(m[2]);
      out.set(spec, m[1] === 'blob' ? buf.toString('utf8', pos, pos + size) : undefined);
      pos += size + 1;
    }
    return out;
  }

  /** The file's content at a revision (`git show REV:path`), path relative to the root. */
  show(rev: string, path: string): Promise<string> {
    if (rev.startsWith('-')) return Promise.reject(new GitError('bad-revision', `revision must not start with "-": ${rev}`));
    return this.run(['show', `${rev}:${path.replace(/^\.?\//, '')}`]);
  }
}

function classify(err: NodeJS.ErrnoException & { code?: unknown }, args: string[], stderr: string, cwd: string): GitError {
  if (err.code === 'ENOENT') {
    return new GitError('not-installed', 'git is not installed (or not on PATH); Vibewatch works without commit and AI-diff data', args);
  }
  const first = stderr.trim().split('\n').find((l) => l.trim()) ?? err.message;
  if (NOT_REPO.test(stderr)) return new GitError('not-a-repository', `${cwd} is not inside a git repository`, args, stderr);
  if (BAD_REV.test(stderr)) return new GitError('bad-revision', first, args, stderr);
  return new GitError('failed', `git ${args[0]} failed: ${first}`, args, stderr);
}
