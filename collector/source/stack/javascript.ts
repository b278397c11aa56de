// Node/V8 and browser stack traces (V8 `at fn (file:1:2)`, Firefox/Safari `fn@url:1:2`).
// Locations are split from the right by hand rather than with one big regex: V8 function
// names contain spaces and parentheses, and URLs contain colons.
import type { ParsedException, ParsedStack, Runtime, StackFrame } from '../types';
import { fileUrlToPath } from './lines';
import { isNodeCoreFile, isNodeInternal, jsInApp } from './inApp';
import { findHeader, headerParts, isErrorLine, stripHeaderPrefix } from './jsHeader';
import { geckoFunctionName, parseChromeConsoleFrame, parseGeckoConsoleFrame, parseSafariConsoleFrame, parseSafariNativeName } from './consoleFrames';

/** Optionally behind a process-runner prefix such as concurrently's `[1] `, or a label on the first
 *  frame's line (`Call stack: at …`, as React DevTools reports it). */
export const V8_FRAME = /^\s*(?:\[[\w-]{1,20}\]\s+|(?![\w$.]*(?:Error|Exception):)[A-Z][\w ]{0,39}:\s+)?at\s+\S/;
/** `name@scheme:…`, `name@[native code]`, `name@/path…`, or a bare URL with a line number (Safari anonymous). */
export function isGeckoFrame(line: string): boolean {
  const s = line.trim();
  if (!s) return false;
  // Safari names top-level code `global code` / `module code`: the function part may have spaces, the location not.
  const m = /@(?:[a-z][a-z0-9+.-]*:\/|\[native code\]|\/|self-hosted:\d)/i.exec(s);
  if (m) return !/\s/.test(s.slice(m.index + 1).replace('[native code]', '').replace(/ -> /g, ''));
  if (/\s/.test(s)) return false;
  // A bare URL needs line and column: Node prints `file:///x.mjs:3` (no column) above the error as context.
  return /^[a-z][a-z0-9+.-]*:\/\S*:\d+:\d+$/i.test(s);
}

interface Loc { file?: string; line?: number; column?: number }

/** `file:line:col`, `file:line`, or a bare location without numbers. */
export function splitLocation(loc: string): Loc {
  // Old SpiderMonkey printed `:undefined` for a missing column.
  let rest = loc.trim().replace(/:undefined$/, '');
  const nums: number[] = [];
  for (let i = 0; i < 2; i++) {
    const c = rest.lastIndexOf(':');
    if (c < 0) break;
    const n = rest.slice(c + 1);
    if (!/^\d+$/.test(n)) break;
    nums.unshift(Number(n));
    rest = rest.slice(0, c);
  }
  if (nums.length === 0) return { file: rest || undefined };
  return { file: rest ? fileUrlToPath(rest) : undefined, line: nums[0], column: nums[1] };
}

export function parseV8Frame(raw: string): StackFrame | undefined {
  // Node follows the last frame with ` {` when it prints the error's own properties.
  let s = raw.trim().replace(/^\[[\w-]{1,20}\]\s+|^[A-Z][\w ]{0,39}:\s+(?=at\s)/, '').replace(/\s+\{$/, '');
  if (!s.startsWith('at ')) return undefined;
  s = s.slice(3).trim();
  if (s.startsWith('async ')) s = s.slice(6);
  let fn: string | undefined;
  let loc = s;
  if (s.endsWith(')')) {
    const open = s.indexOf(' (');
    if (open > 0) {
      fn = s.slice(0, open);
      loc = s.slice(open + 2, -1);
    }
  }
  // `eval at outer (file:1:2), <anonymous>:3:4`: the evaluated code has no file of its own;
  // the outer call site is the workspace line worth showing.
  if (loc.startsWith('eval at ')) {
    const m = /\(([^()]+:\d+:\d+)\)/.exec(loc);
    loc = m ? m[1] : '';
  }
  // Sentry's text export prints an unknown function as `None`.
  if (fn === 'None') fn = undefined;
  if (loc === 'native' || loc === '[native code]' || loc === '<anonymous>' || loc === '' || /^index \d+$/.test(loc)) {
    return { function: fn, inApp: false };
  }
  const l = splitLocation(loc);
  return { file: l.file, line: l.line, column: l.column, function: fn, inApp: jsInApp(l.file) && l.line !== undefined };
}

export function parseGeckoFrame(raw: string): StackFrame | undefined {
  const s = raw.trim();
  let fn: string | undefined;
  let loc = s;
  // The function part may contain `@`-free Firefox decorations (`a/<`, `b<["x"]`); the
  // location starts at the first `@` that is followed by a scheme, `[native` or `/`.
  for (let i = s.indexOf('@'); i >= 0; i = s.indexOf('@', i + 1)) {
    const after = s.slice(i + 1, i + 40);
    if (/^(?:[a-z][a-z0-9+.-]*:\/|\[native code\]|\/|self-hosted:\d)/i.test(after)) {
      fn = geckoFunctionName(s.slice(0, i));
      loc = s.slice(i + 1);
      break;
    }
  }
  if (loc === '[native code]') return { function: fn, inApp: false };
  // A script loaded by another prints the chain, `loader.jsm -> script.js:12:3`; the frame is in the last one.
  const arrow = loc.lastIndexOf(' -> ');
  if (arrow >= 0) loc = loc.slice(arrow + 4);
  const l = splitLocation(loc);
  if (l.line === undefined && !fn) return undefined;
  return { file: l.file, line: l.line, column: l.column, function: fn, inApp: jsInApp(l.file) && l.line !== undefined };
}

/** Lines are already bounded. Frames of V8 and Gecko style may mix (e.g. logs from several browsers).
 *  Node prints an error's own properties after its stack (` {` … `}`); a `cause` / `[cause]` and the
 *  `[errors]` of an AggregateError printed there are exceptions of the chain, in printed order. */
export function parseJavaScript(lines: string[], maxFrames: number, hint?: Runtime): ParsedStack {
  const top: ParsedException = { frames: [] };
  const chain: ParsedException[] = [top];
  let cur = top;
  let firstFrameLine = -1;
  let truncated = false;
  let depth = 0;
  let safariRun = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let f = parseJsFrameLine(line);
    if (!f && safariRun) {
      const name = parseSafariNativeName(line);
      if (name !== undefined) f = { function: name ?? undefined, inApp: false };
    }
    safariRun = f !== undefined && (safariRun || parseSafariConsoleFrame(line) !== undefined);
    if (f) {
      if (firstFrameLine < 0) firstFrameLine = i;
      if (cur.frames.length >= maxFrames) truncated = true;
      else cur.frames.push(f);
      if (/\s\{\s*$/.test(line)) depth++;
      continue;
    }
    if (depth === 0) continue;
    if (/^\s*\}/.test(line)) { depth--; continue; }
    const inner = PROPERTY_ERROR.exec(line);
    if (inner && isErrorLine(inner[1])) {
      cur = { frames: [], ...headerParts(stripHeaderPrefix(inner[1].replace(/\s*\{\s*$/, ''))) };
      chain.push(cur);
      if (/\{\s*$/.test(line)) depth++;
    } else if (/\{\s*$/.test(line)) depth++;
  }
  const frames = chain.flatMap((e) => e.frames);
  const runtime = hint ?? jsRuntime(frames);
  if (runtime === 'node') for (const f of frames) if (f.inApp && isNodeInternal(f.file)) f.inApp = false;
  const out: ParsedStack = { frames: top.frames, runtime };
  const header = findHeader(lines, firstFrameLine < 0 ? lines.length : firstFrameLine);
  if (header) Object.assign(out, headerParts(header));
  if (chain.length > 1) out.causes = chain.slice(1);
  if (truncated) out.truncated = true;
  return out;
}

/** `cause: Error: …`, `[cause]: Error: …`, or an element of `[errors]: [` (a bare `Error: …`). */
const PROPERTY_ERROR = /^\s*(?:\[cause\]:\s*|cause:\s*)?((?:Uncaught\s+)?[A-Za-z_$][\w$.]*(?:\s\[[\w-]+\])?:.*)$/;

function parseJsFrameLine(line: string): StackFrame | undefined {
  if (V8_FRAME.test(line)) return parseV8Frame(line);
  if (isGeckoFrame(line)) return parseGeckoFrame(line);
  const c = parseGeckoConsoleFrame(line) ?? parseChromeConsoleFrame(line) ?? parseSafariConsoleFrame(line);
  return c && { ...c, inApp: jsInApp(c.file) };
}

function jsRuntime(frames: StackFrame[]): Runtime {
  let node = 0;
  let browser = 0;
  for (const f of frames) {
    const file = f.file ?? '';
    if (/^(?:https?|blob|webpack|chrome-extension|moz-extension|safari-extension|resource|chrome|about|capacitor):|^self-hosted$/.test(file)) browser++;
    else if (file.startsWith('node:') || file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('internal/') || isNodeCoreFile(file)) node++;
  }
  return node > browser ? 'node' : browser > 0 ? 'browser' : frames.length && frames.every((f) => !f.file || !/[\\/]/.test(f.file)) ? 'browser' : 'node';
}
