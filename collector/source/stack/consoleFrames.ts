// Frames as browser consoles print them when their output is copied as text.
// Firefox: no `@`, `    fn url:line`, async causes as `setTimeout handler*fn url:line` /
// `promise callback* url:line`, and collapsed framework groups (`    React 23`) with no location.
// Chrome (the call stack under a console.error): `fn @ url:line`, `(anonymous) @ url:line`.
import type { StackFrame } from '../types';

/** The location token: a URL, an `about:` page, `self-hosted` or a bare `name.js`, then a line. */
const CONSOLE_LOCATION = /^((?:[a-z][a-z0-9+.-]*:\/\/\S+|about:[\w-]+|self-hosted|[\w.~-]+\.m?js\S*)):(\d+)(?::(\d+))?$/i;

export function isGeckoConsoleFrame(line: string): boolean {
  return parseGeckoConsoleFrame(line) !== undefined;
}

/** Indented, then a function part (may contain spaces), then one location token with a line. Split
 *  by hand at the last blank: a regex with a spaced function part backtracks on every text line. */
export function parseGeckoConsoleFrame(line: string): Omit<StackFrame, 'inApp'> | undefined {
  if (!/^\s/.test(line) || !/:\d+\s*$/.test(line)) return undefined;
  const s = line.trim();
  const cut = Math.max(s.lastIndexOf(' '), s.lastIndexOf('\t'));
  const m = CONSOLE_LOCATION.exec(s.slice(cut + 1));
  if (!m) return undefined;
  // `index.js?:243`: webpack's eval devtool appends an empty query; the file is what precedes it.
  const file = m[1].replace(/\?$/, '');
  return { file, line: Number(m[2]), column: m[3] === undefined ? undefined : Number(m[3]), function: geckoFunctionName(cut > 0 ? s.slice(0, cut) : undefined) };
}

/** `setTimeout handler*docReady` → `docReady`; `promise callback*` and `<anonymous>` → no name; `Full stack: fn` → `fn`. */
export function geckoFunctionName(fn: string | undefined): string | undefined {
  if (!fn) return undefined;
  const star = fn.lastIndexOf('*');
  // A label logged on the frame's line (`Full stack: fn@…`) is not part of the name: SpiderMonkey
  // names never contain `: `.
  const label = fn.lastIndexOf(': ');
  const start = Math.max(star + 1, label >= 0 ? label + 2 : 0);
  const name = fn.slice(start).trim();
  return name && name !== '<anonymous>' ? name : undefined;
}

const CHROME_CONSOLE_LOCATION = /^(\S+?):(\d+)(?::(\d+))?$/;

export function isChromeConsoleFrame(line: string): boolean {
  return parseChromeConsoleFrame(line) !== undefined;
}

export function parseChromeConsoleFrame(line: string): Omit<StackFrame, 'inApp'> | undefined {
  const at = line.lastIndexOf(' @ ');
  if (at < 0) return undefined;
  const fn = line.slice(0, at).trim();
  const m = CHROME_CONSOLE_LOCATION.exec(line.slice(at + 3).trim());
  if (!m || !fn) return undefined;
  return { file: m[1], line: Number(m[2]), column: m[3] === undefined ? undefined : Number(m[3]), function: fn === '(anonymous)' ? undefined : fn };
}

/** Safari's Web Inspector console, copied: indented `fn (file.js:12)` / `(anonymous function) (app.js:58)`,
 *  and native frames as a bare indented name (`promiseReactionJob`), read only inside such a run. */
const SAFARI_CONSOLE_LOCATION = /^([^()\s]+):(\d+)(?::(\d+))?$/;

export function isSafariConsoleFrame(line: string): boolean {
  return parseSafariConsoleFrame(line) !== undefined;
}

export function parseSafariConsoleFrame(line: string): Omit<StackFrame, 'inApp'> | undefined {
  if (!/^\s/.test(line) || !line.trimEnd().endsWith(')')) return undefined;
  const s = line.trim();
  const open = s.lastIndexOf(' (');
  if (open <= 0) return undefined;
  const m = SAFARI_CONSOLE_LOCATION.exec(s.slice(open + 2, -1));
  const fn = s.slice(0, open);
  if (!m || fn.startsWith('at ')) return undefined;
  return { file: m[1], line: Number(m[2]), column: m[3] === undefined ? undefined : Number(m[3]), function: fn === '(anonymous function)' ? undefined : fn };
}

/** A bare native frame inside a Safari console run: `promiseReactionJob`, `(anonymous function)`. */
export function parseSafariNativeName(line: string): string | null | undefined {
  if (!/^\s/.test(line)) return undefined;
  const s = line.trim();
  if (s === '(anonymous function)') return null;
  return /^[A-Za-z_$][\w$.]{0,200}$/.test(s) ? s : undefined;
}
