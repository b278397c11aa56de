// Go panics and goroutine dumps. Each frame is two lines: `pkg.fn(args)` then
// `\t/path/file.go:123 +0x1a`. Only the first goroutine (the one that panicked, `[running]`)
// becomes the frame list; `created by` is kept as its last frame.
import type { ParsedStack } from '../types';
import { toInt } from './lines';
import { goInApp } from './inApp';

export const GO_GOROUTINE = /^goroutine \d+ \[[^\]]*\]:?\s*$/;
/** `\t/path/file.go:12 +0x1a`, with ` fp=0x… sp=0x… pc=0x…` after it in `fatal error` dumps. */
export const GO_LOCATION = /^\s+(\S.*?\.(?:go|s)):(\d+)(?:\s+\+0x[0-9a-fA-F]+)?(?:\s+[a-z]{2}=0x[0-9a-fA-F]+){0,3}\s*$/;
const PANIC = /^(panic|fatal error):\s*(.*)$/;

export function parseGo(lines: string[], maxFrames: number): ParsedStack {
  const out: ParsedStack = { frames: [], runtime: 'go' };
  let inGoroutine = false;
  let pendingFn: string | undefined;
  let truncated = false;
  for (const line of lines) {
    if (GO_GOROUTINE.test(line)) {
      if (inGoroutine) break;
      inGoroutine = true;
      continue;
    }
    if (!inGoroutine) {
      const p = PANIC.exec(line);
      if (p && out.type === undefined) {
        out.type = p[1];
        out.message = p[2].replace(/\s*\[recovered\]$/, '');
      }
      continue;
    }
    const loc = GO_LOCATION.exec(line);
    if (loc) {
      if (out.frames.length >= maxFrames) { truncated = true; break; }
      const fn = pendingFn;
      out.frames.push({ file: loc[1], line: toInt(loc[2]), function: fn, inApp: goInApp(loc[1], fn?.replace(/^created by /, '')) });
      pendingFn = undefined;
      continue;
    }
    const t = line.trim();
    if (!t) { if (out.frames.length) break; continue; }
    // `main.(*T).m(0xc000…, {…})` → `main.(*T).m`; `created by main.main` kept as is.
    pendingFn = t.startsWith('created by ') ? t.replace(/ in goroutine \d+$/, '') : stripArgs(t);
  }
  if (out.frames.length === 0) out.reason = inGoroutine ? 'goroutine has no frames' : 'no goroutine trace found';
  if (truncated) out.truncated = true;
  return out;
}

function stripArgs(s: string): string {
  if (!s.endsWith(')')) return s;
  // Arguments are the last balanced parenthesis group; `(*T)` receivers stay.
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === ')') depth++;
    else if (s[i] === '(' && --depth === 0) return s.slice(0, i);
  }
  return s;
}
