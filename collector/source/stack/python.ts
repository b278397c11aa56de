// Python tracebacks, including chained ones ("During handling of the above exception…",
// "The above exception was the direct cause…"). Python prints the innermost frame last;
// frames are reversed so the throw site comes first, as for every other runtime.
import type { ParsedException, ParsedStack, StackFrame } from '../types';
import { toInt } from './lines';
import { pythonInApp } from './inApp';

export const PY_TRACEBACK = /^\s*(?:\+\s)?(?:Exception Group )?Traceback \(most recent call last\):/;
/** Exception-group drawing (3.11+): `  +-+---- 1 ----` separators and `  | ` margins. */
const GROUP_SEPARATOR = /^\s*\+[-+\s\d.]*$|^\s*\+-/;
const GROUP_MARGIN = /^\s*(?:\|\s?)+|^\s*\+\s(?=Exception Group)/;
export const PY_FRAME = /^\s*File "([^"]+)", line (\d+)(?:, in (.+))?/;
const PY_FRAME_NO_FILE = /^\s*line (\d+), in (.+)$/;
const PY_EXC = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;
/** An exception line printed above frames that have no `Traceback` header. */
const LEADING_EXC = /^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Interrupt|Exit)):\s?(.*)$/;

function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

export function parsePython(lines: string[], maxFrames: number): ParsedStack {
  const blocks: ParsedException[] = [];
  let cur: ParsedException | undefined;
  let truncated = false;
  let expectCode = false;
  let group = false;
  let margin = 0;
  let leading: { type: string; message?: string } | undefined;
  const mostRecentFirst = new Set<ParsedException>();
  for (const raw of lines) {
    if (GROUP_SEPARATOR.test(raw)) continue;
    const line = raw.replace(GROUP_MARGIN, '');
    if (PY_TRACEBACK.test(line)) {
      if (blocks.length === 0 && line.includes('Exception Group')) group = true;
      cur = { frames: [] };
      blocks.push(cur);
      expectCode = false;
      // A traceback quoted with an indent (a log, a markdown block) keeps its exception line at
      // the indent of its `Traceback` line, not at column 0.
      margin = /^\s*/.exec(line)![0].length;
      continue;
    }
    if (!cur) {
      // A traceback pasted without its header still has `File "…"` lines.
      if (!PY_FRAME.test(line)) {
        const lead = LEADING_EXC.exec(line);
        if (lead && leading === undefined) leading = { type: lead[1], message: lead[2] };
        continue;
      }
      cur = { frames: [] };
      blocks.push(cur);
      // Renderings that print the exception first (Rollbar) list the frames most recent first.
      if (leading) { Object.assign(cur, leading); mostRecentFirst.add(cur); }
    }
    const m = PY_FRAME.exec(line);
    const n = m ? undefined : PY_FRAME_NO_FILE.exec(line);
    if (m || n) {
      const frame: StackFrame = m
        ? { file: m[1], line: toInt(m[2]), function: m[3]?.trim(), inApp: pythonInApp(m[1]) }
        : { line: toInt(n![1]), function: n![2].trim(), inApp: false };
      if (cur.frames.length < maxFrames) cur.frames.push(frame);
      else truncated = true;
      expectCode = true;
      continue;
    }
    if (cur.type === undefined && line.trim() && indentOf(line) <= margin) {
      const e = PY_EXC.exec(line.trim());
      if (e && !/^(?:During|The above)\b/.test(line)) {
        cur.type = e[1];
        if (e[2] !== undefined) cur.message = e[2];
        expectCode = false;
        continue;
      }
    }
    // Source lines under frames and `^^^^` markers are context, not structure.
    if (expectCode && /^\s/.test(line)) continue;
  }
  if (blocks.length === 0) return { frames: [], runtime: 'python', reason: 'no Python traceback frames found' };
  for (const b of blocks) if (!mostRecentFirst.has(b)) b.frames.reverse();
  // Chained tracebacks print the cause first and the raised exception last; an exception
  // group prints itself first and its sub-exceptions after.
  const primary = group ? blocks[0] : blocks[blocks.length - 1];
  const others = group ? blocks.slice(1) : blocks.slice(0, -1).reverse();
  const out: ParsedStack = { type: primary.type, message: primary.message, frames: primary.frames, runtime: 'python' };
  if (others.length) out.causes = others;
  if (truncated) out.truncated = true;
  return out;
}
