// Frames as browser consoles print them when their output is copied as text.
// Firefox: no `@`, `    fn url:line`, async causes as `setTimeout handler*fn url:line` /
// `promise callback* url:line`, and collapsed framework groups (`    React 23`) with no location.
// Chrome (the call stack under a console.error): `fn @ url:line`, `(anonymous) @ url:line`.
import type { StackFrame } from '../types';

/** Indented, then a function part (may contain spaces), then one location token with a line. */
const CONSOLE_FRAME = /^\s+(?:(\S(?:.{0,300}?\S)?)\s+)?((?:[a-z][a-z0-9+.-]*:\/\/\S+|about:[\w-]+|self-hosted|[\w.~-]+\.m?js\S*)):(\d+)(?::(\d+))?\s*$/i;

export function isGeckoConsoleFrame(line: string): boolean {
  return CONSOLE_FRAME.test(line);
}

export function parseGeckoConsoleFrame(line: string): Omit<StackFrame, 'inApp'> | undefined {
  const m = CONSOLE_FRAME.exec(line);
  if (!m) return undefined;
  // `index.js?:243`: webpack's eval devtool appends an empty query; the file is what precedes it.
  const file = m[2].replace(/\?$/, '');
  return { file, line: Number(m[3]), column: m[4] === undefined ? undefined : Number(m[4]), function: geckoFunctionName(m[1]) };
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

const CHROME_CONSOLE_FRAME = /^\s*(\S(?:.{0,300}?\S)?) @ (\S+?):(\d+)(?::(\d+))?\s*$/;

export function isChromeConsoleFrame(line: string): boolean {
  return CHROME_CONSOLE_FRAME.test(line);
}

export function parseChromeConsoleFrame(line: string): Omit<StackFrame, 'inApp'> | undefined {
  const m = CHROME_CONSOLE_FRAME.exec(line);
  if (!m) return undefined;
  return { file: m[2], line: Number(m[3]), column: m[4] === undefined ? undefined : Number(m[4]), function: m[1] === '(anonymous)' ? undefined : m[1] };
}
