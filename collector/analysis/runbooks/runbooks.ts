// Runbooks: Markdown files in `<workspace>/.vibewatch/runbooks/*.md`.
//
//   ---
//   title: Checkout error rate
//   alerts: [default.endpoint-error-rate*, checkout-*]     (rule ids or globs)
//   ---
//   1. Look at the last deploys:
//   ```sh
//   git log --oneline -5
//   ```
//   2. [Open the errors panel](command:vibewatch.showErrors)
//   3. vscode: workbench.action.reloadWindow
//   4. vscode: vibewatch.openTrace {"traceId": "…"}
//   5. [Dashboard](https://grafana.example/d/1)
//
// Steps, in order: a ```sh/bash/shell/zsh/console block is a `shell` step; a
// `[title](command:ID?ARGS)` link (ARGS: URL-encoded JSON, as VS Code's command links) or a
// `vscode: ID [JSON args]` line is a `command` step; an http(s) link is a `link` step; any
// other non-empty line (list markers stripped) is a `text` step. Headings are not steps.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Runbook, RunbookStep } from './types';

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'zsh', 'console']);
const MAX_FILE = 256 * 1024;

function unquote(s: string): string {
  const t = s.trim();
  return /^(['"]).*\1$/.test(t) ? t.slice(1, -1) : t;
}

export function parseFrontMatter(text: string): { data: Record<string, string | string[]>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { data: {}, body: text };
  const data: Record<string, string | string[]> = {};
  let listKey: string | undefined;
  for (const line of m[1].split(/\r?\n/)) {
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item && listKey) {
      (data[listKey] as string[]).push(unquote(item[1]));
      continue;
    }
    const kv = /^([\w.-]+):\s*(.*)$/.exec(line);
    if (!kv) continue;
    const [, key, value] = kv;
    listKey = undefined;
    if (value === '') {
      data[key] = [];
      listKey = key;
    } else if (/^\[.*\]$/.test(value.trim())) {
      data[key] = value.trim().slice(1, -1).split(',').map(unquote).filter(Boolean);
    } else data[key] = unquote(value);
  }
  return { data, body: text.slice(m[0].length) };
}

function parseArgs(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    // Not JSON: pass the raw text, the runner shows it; the step stays usable.
    return err instanceof SyntaxError ? text.trim() : undefined;
  }
}

const LINK = /\[([^\]]*)\]\(([^)\s]+)\)/g;

function lineSteps(line: string): RunbookStep[] {
  const stripped = line.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim();
  if (!stripped || /^#/.test(stripped)) return [];
  const vs = /^vscode:\s*([\w.-]+)(?:\s+(.*))?$/.exec(stripped);
  if (vs) return [{ kind: 'command', command: vs[1], args: parseArgs(vs[2]) }];
  const steps: RunbookStep[] = [];
  const links = [...stripped.matchAll(LINK)];
  const rest = stripped.replace(LINK, '').replace(/[\s:.,;-]+/g, ' ').trim();
  if (rest) steps.push({ kind: 'text', text: stripped.replace(LINK, (_m, t: string) => t) });
  for (const l of links) {
    const [, title, target] = l;
    if (target.startsWith('command:')) {
      const q = target.indexOf('?');
      const command = target.slice('command:'.length, q < 0 ? undefined : q);
      steps.push({ kind: 'command', command, args: q < 0 ? undefined : parseArgs(decodeURIComponent(target.slice(q + 1))), title: title || undefined });
    } else if (/^https?:\/\//.test(target)) steps.push({ kind: 'link', url: target, title: title || undefined });
  }
  return steps;
}

export function parseRunbook(text: string, file: string): Runbook {
  const { data, body } = parseFrontMatter(text.slice(0, MAX_FILE));
  const steps: RunbookStep[] = [];
  let fence: { lang: string; lines: string[]; marker: string } | undefined;
  let heading: string | undefined;
  for (const line of body.split(/\r?\n/)) {
    const f = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (fence) {
      if (f && f[1].startsWith(fence.marker)) {
        const content = fence.lines.join('\n').trim();
        if (content) steps.push(SHELL_LANGS.has(fence.lang) ? { kind: 'shell', command: content, lang: fence.lang } : { kind: 'text', text: content });
        fence = undefined;
      } else fence.lines.push(line);
      continue;
    }
    if (f) {
      fence = { lang: f[2].toLowerCase(), lines: [], marker: f[1] };
      continue;
    }
    const h = /^#\s+(.+)$/.exec(line.trim());
    if (h && heading === undefined) heading = h[1].trim();
    steps.push(...lineSteps(line));
  }
  const alerts = data.alerts === undefined ? [] : Array.isArray(data.alerts) ? data.alerts : [data.alerts];
  const id = path.basename(file).replace(/\.md$/i, '');
  const title = typeof data.title === 'string' ? data.title : heading ?? id;
  return { id, title, alerts, file, steps };
}

/** Whether the runbook's file lies inside one of `folders` (normalised; a `..` or another
 *  root is outside). The collector serves a client only the runbooks of its own folders. */
export function runbookIn(rb: Pick<Runbook, 'file'>, folders: readonly string[]): boolean {
  return folders.some((f) => {
    const rel = path.relative(path.resolve(f), path.resolve(rb.file));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
}

export { runbookServes } from './runbookMatch';

/** Reads every runbook in the given `.vibewatch/runbooks` folders (missing folders are fine). */
export async function loadRunbooks(dirs: string[]): Promise<{ runbooks: Runbook[]; errors: string[] }> {
  const runbooks: Runbook[] = [];
  const errors: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') errors.push(`${dir}: ${(err as Error).message}`);
      continue;
    }
    for (const n of names.filter((x) => x.toLowerCase().endsWith('.md')).sort()) {
      const file = path.join(dir, n);
      try {
        runbooks.push(parseRunbook(await fs.readFile(file, 'utf8'), file));
      } catch (err) {
        errors.push(`${file}: ${(err as Error).message}`);
      }
    }
  }
  return { runbooks, errors };
}
