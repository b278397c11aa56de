// Node/V8 and browser stack traces (V8 `at fn (file:1:2)`, Firefox/Safari `fn@url:1:2`).
// Locations are split from the right by hand rather than with one big regex: V8 function
// names contain spaces and parentheses, and URLs contain colons.
import type { ParsedStack, Runtime, StackFrame } from '../types';
import { fileUrlToPath } from './lines';
import { jsInApp } from './inApp';

/** Optionally behind a process-runner prefix such as concurrently's `[1] `. */
export const V8_FRAME = /^\s*(?:\[[\w-]{1,20}\]\s+)?at\s+\S/;
/** `name@scheme:…`, `name@[native code]`, `name@/path…`, or a bare URL with a line number (Safari anonymous). */
export function isGeckoFrame(line: string): boolean {
  const s = line.trim();
  if (!s) return false;
  // Safari names top-level code `global code` / `module code`: the function part may have spaces, the location not.
  const m = /@(?:[a-z][a-z0-9+.-]*:\/|\[native code\]|\/)/i.exec(s);
  if (m) return !/\s/.test(s.slice(m.index + 1).replace('[native code]', ''));
  if (/\s/.test(s)) return false;
  // A bare URL needs line and column: Node prints `file:///x.mjs:3` (no column) above the error as context.
  return /^[a-z][a-z0-9+.-]*:\/\S*:\d+:\d+$/i.test(s);
}

interface Loc { file?: string; line?: number; column?: number }

/** `file:line:col`, `file:line`, or a bare location without numbers. */
export function splitLocation(loc: string): Loc {
  let rest = loc.trim();
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
  let s = raw.trim().replace(/^\[[\w-]{1,20}\]\s+/, '');
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
  if (loc === 'native' || loc === '<anonymous>' || loc === '' || /^index \d+$/.test(loc)) {
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
    if (/^(?:[a-z][a-z0-9+.-]*:\/|\[native code\]|\/)/i.test(after)) {
      fn = s.slice(0, i) || undefined;
      loc = s.slice(i + 1);
      break;
    }
  }
  if (loc === '[native code]') return { function: fn, inApp: false };
  const l = splitLocation(loc);
  if (l.line === undefined && !fn) return undefined;
  return { file: l.file, line: l.line, column: l.column, function: fn, inApp: jsInApp(l.file) && l.line !== undefined };
}

const HEADER = /^([A-Za-z_$][\w$.]*)(?:\s\[[\w-]+\])?(?::\s?([^]*))?$/;

/** Lines are already bounded. Frames of V8 and Gecko style may mix (e.g. logs from several browsers). */
export function parseJavaScript(lines: string[], maxFrames: number, hint?: Runtime): ParsedStack {
  const frames: StackFrame[] = [];
  let firstFrameLine = -1;
  let truncated = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let f: StackFrame | undefined;
    if (V8_FRAME.test(line)) f = parseV8Frame(line);
    else if (isGeckoFrame(line)) f = parseGeckoFrame(line);
    if (!f) continue;
    if (firstFrameLine < 0) firstFrameLine = i;
    if (frames.length >= maxFrames) { truncated = true; break; }
    frames.push(f);
  }
  const out: ParsedStack = { frames, runtime: hint ?? jsRuntime(frames) };
  const header = findHeader(lines, firstFrameLine < 0 ? lines.length : firstFrameLine);
  if (header) {
    const m = HEADER.exec(header);
    if (m && m[2] !== undefined && /(?:Error|Exception|Rejection|Warning|^[A-Z]\w*)$/.test(m[1])) {
      out.type = m[1];
      out.message = m[2];
    } else if (m && /(?:Error|Exception)$/.test(m[1])) {
      out.type = m[1];
    } else {
      out.message = header;
    }
  }
  if (truncated) out.truncated = true;
  return out;
}

/** The exception line: the nearest `…Error: message` line above the frames (within 20 lines),
 *  else the nearest line that is not source context (`file:line`, code, `^` markers). */
function findHeader(lines: string[], before: number): string | undefined {
  let fallback: string | undefined;
  for (let i = before - 1; i >= 0 && i >= before - 20; i--) {
    const raw = lines[i].replace(/^\[[\w-]{1,20}\]\s?/, '');
    const t = raw.trim();
    if (!t || /^\^+$/.test(t)) continue;
    if (/^(?:[\w$.]*(?:Error|Exception)|Error)\b(?:\s\[[\w-]+\])?(?::|$)/.test(t)) return t;
    // Node prints `file:line`, the code and a caret above the error; skip those.
    if (fallback === undefined && !/^node:|^\S+:\d+$/.test(t) && !/^\s{2,}/.test(raw)) fallback = t;
  }
  return fallback;
}

function jsRuntime(frames: StackFrame[]): Runtime {
  let node = 0;
  let browser = 0;
  for (const f of frames) {
    const file = f.file ?? '';
    if (/^(?:https?|blob|webpack|chrome-extension|moz-extension|safari-extension|resource|capacitor):/.test(file)) browser++;
    else if (file.startsWith('node:') || file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('internal/')) node++;
  }
  return node > browser ? 'node' : browser > 0 ? 'browser' : frames.length && frames.every((f) => !f.file || !/[\\/]/.test(f.file)) ? 'browser' : 'node';
}
