// Python tracebacks, including chained ones ("During handling of the above exception…",
// "The above exception was the direct cause…"). Python prints the innermost frame last;
// frames are reversed so the throw site comes first, as for every other runtime.
import type { ParsedException, ParsedStack, StackFrame } from '../types';
import { toInt } from './lines';
import { pythonInApp } from './inApp';

export const PY_TRACEBACK = /^\s*Traceback \(most recent call last\):/;
export const PY_FRAME = /^\s*File "([^"]+)", line (\d+)(?:, in (.+))?/;
const PY_FRAME_NO_FILE = /^\s*line (\d+), in (.+)$/;
const PY_EXC = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;

export function parsePython(lines: string[], maxFrames: number): ParsedStack {
  const blocks: ParsedException[] = [];
  let cur: ParsedException | undefined;
  let truncated = false;
  let expectCode = false;
  for (const line of lines) {
    if (PY_TRACEBACK.test(line)) {
      cur = { frames: [] };
      blocks.push(cur);
      expectCode = false;
      continue;
    }
    if (!cur) {
      // A traceback pasted without its header still has `File "…"` lines.
      if (!PY_FRAME.test(line)) continue;
      cur = { frames: [] };
      blocks.push(cur);
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
    if (cur.type === undefined && line.trim() && !/^\s/.test(line)) {
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
  for (const b of blocks) b.frames.reverse();
  const last = blocks[blocks.length - 1];
  const out: ParsedStack = { type: last.type, message: last.message, frames: last.frames, runtime: 'python' };
  if (blocks.length > 1) out.causes = blocks.slice(0, -1).reverse();
  if (truncated) out.truncated = true;
  return out;
}
