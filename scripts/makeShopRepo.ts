// Generates the example shop's git repository (examples/shop/history.ts) into a folder:
// real commits with fixed authors and dates, AI-assisted ones marked with a
// `Co-authored-by:` trailer. Runs git with the user's global and system config ignored, so
// hooks, signing or templates on this machine cannot change the result. The project's own
// repository is never touched.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SHOP_HISTORY } from '../examples/shop/history';
import type { Edit, PlannedCommit } from '../examples/shop/history';

/** The repository root (works from scripts/*.ts under tsx and from dist/*.js). */
export const REPO_ROOT = join(__dirname, '..');
export const SHOP_SOURCE = join(REPO_ROOT, 'examples', 'shop', 'app');

export interface MadeCommit {
  sha: string;
  subject: string;
  author: string;
  date: string;
  coAuthoredBy?: string;
  fault?: PlannedCommit['fault'];
  files: string[];
}

export interface ShopRepo {
  dir: string;
  commits: MadeCommit[];
}

export interface MakeShopRepoOptions {
  /** Symlink `<dir>/node_modules` to this folder (git-ignored), so the shop finds sql.js. */
  linkNodeModules?: string;
  source?: string;
  history?: PlannedCommit[];
}

function replaceOnce(text: string, find: string, replacement: string, what: string): string {
  const at = text.indexOf(find);
  if (at < 0 || text.indexOf(find, at + 1) >= 0) {
    throw new Error(`${what}: expected exactly one occurrence of ${JSON.stringify(find.slice(0, 80))}`);
  }
  return text.slice(0, at) + replacement + text.slice(at + find.length);
}

function allFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.name === 'node_modules') continue;
    if (e.isDirectory()) out.push(...allFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The file contents before any commit's edits: the final files with every edit undone. */
export function baselineFiles(source: string, history: PlannedCommit[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const rel of allFiles(source)) files.set(rel, readFileSync(join(source, rel), 'utf8'));
  for (let c = history.length - 1; c >= 0; c--) {
    const edits = history[c].edits ?? [];
    for (let e = edits.length - 1; e >= 0; e--) {
      const ed: Edit = edits[e];
      const text = files.get(ed.path);
      if (text === undefined) throw new Error(`commit "${history[c].subject}": no file ${ed.path}`);
      files.set(ed.path, replaceOnce(text, ed.after, ed.before, `undo "${history[c].subject}" in ${ed.path}`));
    }
  }
  return files;
}

function git(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 15_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', ...env },
  }).trim();
}

export async function makeShopRepo(targetDir: string, opts: MakeShopRepoOptions = {}): Promise<ShopRepo> {
  const source = opts.source ?? SHOP_SOURCE;
  const history = opts.history ?? SHOP_HISTORY;
  if (existsSync(targetDir) && readdirSync(targetDir).length) throw new Error(`makeShopRepo: ${targetDir} is not empty`);
  mkdirSync(targetDir, { recursive: true });
  const current = baselineFiles(source, history);
  const final = new Map<string, string>(allFiles(source).map((rel) => [rel, readFileSync(join(source, rel), 'utf8')]));
  git(targetDir, ['init', '-q', '-b', 'main']);
  const commits: MadeCommit[] = [];
  for (const c of history) {
    const touched = new Set<string>();
    for (const rel of c.add ?? []) {
      const text = current.get(rel);
      if (text === undefined) throw new Error(`commit "${c.subject}": no file ${rel} in ${source}`);
      touched.add(rel);
    }
    for (const ed of c.edits ?? []) {
      current.set(ed.path, replaceOnce(current.get(ed.path) ?? '', ed.before, ed.after, `apply "${c.subject}" in ${ed.path}`));
      touched.add(ed.path);
    }
    for (const rel of touched) {
      mkdirSync(dirname(join(targetDir, rel)), { recursive: true });
      writeFileSync(join(targetDir, rel), current.get(rel) as string);
    }
    git(targetDir, ['add', '--', ...touched]);
    const message = [c.subject, ...(c.body ? ['', c.body] : []), ...(c.coAuthoredBy ? ['', `Co-authored-by: ${c.coAuthoredBy}`] : [])].join('\n');
    const who = { GIT_AUTHOR_NAME: c.author.name, GIT_AUTHOR_EMAIL: c.author.email, GIT_COMMITTER_NAME: c.author.name, GIT_COMMITTER_EMAIL: c.author.email };
    git(targetDir, ['-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--no-verify', '-m', message], {
      ...who,
      GIT_AUTHOR_DATE: c.date,
      GIT_COMMITTER_DATE: c.date,
    });
    commits.push({
      sha: git(targetDir, ['rev-parse', 'HEAD']),
      subject: c.subject,
      author: `${c.author.name} <${c.author.email}>`,
      date: c.date,
      coAuthoredBy: c.coAuthoredBy,
      fault: c.fault,
      files: [...touched].sort(),
    });
  }
  for (const [rel, text] of final) {
    if (current.get(rel) !== text) throw new Error(`makeShopRepo: after the last commit ${rel} differs from ${source}/${rel} (a file no commit adds?)`);
  }
  if (opts.linkNodeModules) symlinkSync(opts.linkNodeModules, join(targetDir, 'node_modules'), 'dir');
  return { dir: targetDir, commits };
}
