// The exception line above a JavaScript stack: `TypeError: msg`, `Error [ERR_X]: msg`, and the
// decorations consoles and runtimes put in front of it (`Uncaught (in promise) `, Node's
// `(node:43) `, a console's `file.js:1 ` source link, Safari's `[TypeError] msg`, `Message: `, and a
// label a program logged before `err.stack` (`error connecting: Error: …`).
import type { ParsedException } from '../types';

/** Decorations that never hold the type: a process runner's `[1] ` or a console level `[Error] `,
 *  `Message: `, Node's `(node:43) `, `Uncaught (in promise) `. */
const BASE_PREFIXES = /^(?:\[[\w-]{1,20}\]\s(?![\w$.]*(?:Error|Exception)\]))?(?:Message:\s+)?(?:\(node:\d+\)\s+)?(?:Uncaught\s+(?:\(in promise\)\s+)?)?/;
const CONSOLE_LINK = /^\S{1,200}:\d+\s+/;
const LABEL = /^[^:]{1,80}:\s+/;
const ERROR_START = /^(?:[A-Z][\w$.]*)?(?:Error|Exception)\b/;
const ERROR_LINE = /^(?:[\w$.]*(?:Error|Exception)|Error)\b(?:\s\[[\w-]+\])?(?::|$)/;
const BRACKETED = /^\[([\w$.]*(?:Error|Exception))\]\s(.*)$/;
const HEADER = /^([A-Za-z_$][\w$.]*)(?:\s\[[\w-]+\])?(?::\s?([^]*))?$/;

/** Decorations removed; what remains starts with the type when there is one. A console's source
 *  link (`file.js:1 `) and a label (`Unhandled promise rejection: `, `error connecting: `) are
 *  removed only when an exception type follows them. */
export function stripHeaderPrefix(line: string): string {
  let t = line.trim().replace(BASE_PREFIXES, '');
  const link = CONSOLE_LINK.exec(t);
  if (link) {
    const rest = t.slice(link[0].length);
    const label = LABEL.exec(rest);
    if (ERROR_START.test(rest) || (label && ERROR_START.test(rest.slice(label[0].length)))) t = rest;
  }
  const label = LABEL.exec(t);
  if (label && !ERROR_LINE.test(t) && ERROR_LINE.test(t.slice(label[0].length))) t = t.slice(label[0].length);
  return t;
}

export function isErrorLine(line: string): boolean {
  const t = stripHeaderPrefix(line);
  return ERROR_LINE.test(t) || BRACKETED.test(t);
}

/** The exception line: the nearest `…Error: message` line above the frames (within 20 lines),
 *  else the nearest line that is not source context (`file:line`, code, `^` markers). */
export function findHeader(lines: string[], before: number): string | undefined {
  let fallback: string | undefined;
  for (let i = before - 1; i >= 0 && i >= before - 20; i--) {
    const raw = lines[i].replace(/^\[(?![\w$.]*(?:Error|Exception)\])[\w-]{1,20}\]\s?/, '');
    const t = raw.trim();
    if (!t || /^\^+$/.test(t)) continue;
    if (isErrorLine(t)) return stripHeaderPrefix(t);
    // Node prints `file:line`, the code and a caret above the error; skip those.
    if (fallback === undefined && !/^node:|^\S+:\d+$/.test(t) && !/^\s{2,}/.test(raw)) fallback = t;
  }
  return fallback;
}

/** Type and message of a header line (already stripped of decorations). */
export function headerParts(header: string): Pick<ParsedException, 'type' | 'message'> {
  const b = BRACKETED.exec(header);
  if (b) return { type: b[1], message: b[2] };
  const m = HEADER.exec(header);
  if (m && m[2] !== undefined && /(?:Error|Exception|Rejection|Warning|^[A-Z]\w*)$/.test(m[1])) return { type: m[1], message: m[2] };
  if (m && /(?:Error|Exception)$/.test(m[1])) return { type: m[1] };
  return { message: header };
}
