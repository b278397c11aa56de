// Ruby backtraces: `path:12:in 'label'` (3.4+ quoting, `Class#method` labels) and
// ``path:12:in `label'`` (older), the first line carrying `: message (Type)`, later ones
// prefixed with `from` (or `N: from`, outermost first, in Ruby 2.5–2.7's reversed form).
import type { ParsedStack, StackFrame } from '../types';
import { toInt } from './lines';
import { rubyInApp } from './inApp';

/** file (no colon-digit run inside), line, optional label in either quoting, optional `: message`. */
export const RUBY_FRAME = /^\s*(?:\d+:\s+)?(?:from\s+)?(.+?):(\d+)(?::in [`']([^'`]*)'(?::\s+(.*))?)?\s*$/;
/** Ruby 2.5–2.7 on a terminal: `Traceback (most recent call last):`, `N: from …` lines outermost first, the error line last. */
const NUMBERED_FROM = /^\s*\d+: from /;
const RUBY_FRAME_HINT = /:\d+:in [`']/;
const TYPE_SUFFIX = /\s\(([A-Z][\w:]*)\)\s*$/;

export function isRubyFrameLine(line: string): boolean {
  return RUBY_FRAME_HINT.test(line) || /^\s*from\s+\S+:\d+\s*$/.test(line);
}

export function parseRuby(lines: string[], maxFrames: number): ParsedStack {
  const out: ParsedStack = { frames: [], runtime: 'ruby' };
  const pre: string[] = [];
  let truncated = false;
  for (const line of lines) {
    if (!isRubyFrameLine(line)) {
      if (out.frames.length === 0 && line.trim()) pre.push(line.trim());
      continue;
    }
    const m = RUBY_FRAME.exec(line);
    if (!m) continue;
    if (out.frames.length >= maxFrames) { truncated = true; break; }
    const frame: StackFrame = { file: m[1], line: toInt(m[2]), inApp: rubyInApp(m[1]) };
    if (m[3] !== undefined) frame.function = m[3];
    out.frames.push(frame);
    if (m[4] !== undefined && out.type === undefined) {
      const t = TYPE_SUFFIX.exec(m[4]);
      out.type = t?.[1];
      out.message = t ? m[4].slice(0, t.index) : m[4];
    }
  }
  if (out.type === undefined && pre.length) {
    // `ERROR: … (NoMethodError)` then the message on its own line (rubygems, rake).
    for (let i = 0; i < pre.length; i++) {
      const t = TYPE_SUFFIX.exec(pre[i]);
      if (t) {
        out.type = t[1];
        out.message = pre[i + 1] ?? pre[i].slice(0, t.index);
        break;
      }
    }
    if (out.type === undefined) out.message = pre[pre.length - 1];
  }
  // Every runtime's frames come throw site first; the numbered form prints it last.
  if (lines.some((l) => NUMBERED_FROM.test(l))) out.frames.reverse();
  if (out.frames.length === 0) out.reason = 'no Ruby frames found';
  if (truncated) out.truncated = true;
  return out;
}
