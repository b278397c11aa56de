// Test helper: a real git repository in a temp dir, with a temp HOME and fixed identities,
// so nothing reads or writes the real $HOME or global git config.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class TempRepo {
  readonly dir: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  private clock = 1_700_000_000;

  constructor(init = true) {
    this.home = mkdtempSync(join(tmpdir(), 'vw-git-home-'));
    this.dir = mkdtempSync(join(tmpdir(), 'vw-git-repo-'));
    this.env = {
      PATH: process.env.PATH,
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Dev Human',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'Dev Human',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
    };
    if (init) this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=Dev Human', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      env: this.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  write(path: string, text: string): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), text);
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  /** Commits everything with the given message; author overrides the default human. */
  commit(message: string, author?: { name: string; email: string }): string {
    this.git('add', '-A');
    const t = String(this.clock++);
    const env = { ...this.env, GIT_AUTHOR_DATE: `${t} +0000`, GIT_COMMITTER_DATE: `${t} +0000` };
    const args = ['-c', 'user.name=Dev Human', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', message];
    if (author) args.push(`--author=${author.name} <${author.email}>`);
    execFileSync('git', args, { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    return this.git('rev-parse', 'HEAD').trim();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.home, { recursive: true, force: true });
  }
}

export function lines(from: number, to: number, prefix = 'line'): string {
  let s = '';
  for (let i = from; i <= to; i++) s += `${prefix} ${i}\n`;
  return s;
}
