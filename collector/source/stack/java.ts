// Java (and Kotlin/Scala on the JVM) stack traces: `Caused by:` chains, `... N more`,
// inner classes (`Outer$Inner`), `Native Method`/`Unknown Source`, logger prefixes before
// `at` (journald, log4j), `~[jar]` suffixes, and Google Play's `at X.y (File.java:1)`.
import type { ParsedException, ParsedStack, StackFrame } from '../types';
import { toInt } from './lines';
import { javaInApp } from './inApp';

/** The frame may follow a log prefix, so it is not anchored at the start of the line. */
export const JAVA_FRAME = /(?:^|\s)at\s+([\w$.<>\/]+) ?\(([^()]*)\)(?:\s+~?\[([^\]]*)\])?/;
/** Google Play's console prints a frame it has no line for as a bare `at pkg.Class.method`. */
const JAVA_BARE_FRAME = /^\s*at\s+([A-Za-z_$][\w$]*(?:\.[\w$<>]+){2,})(?:\s|$)/;
/** `Caused by:` may follow a log prefix (a timestamp, a container name); a dotted class must follow it. */
const CAUSE = /^(?:.{0,80}?\s)?(Caused by|Suppressed):\s+([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?::.*)?)$/;
const HEADER_START = /^(?:Exception in thread "[^"]*"\s+)?[a-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.[A-Z$][\w$]*(?:Exception|Error|Throwable|Failure|Fault)?(?::|$)/;
const HEADER = /^(?:Exception in thread "[^"]*"\s+)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)(?::\s?(.*))?$/;

export function parseJavaFrame(line: string): StackFrame | undefined {
  const m = JAVA_FRAME.exec(line);
  if (!m) {
    const b = JAVA_BARE_FRAME.exec(line);
    return b ? { function: b[1], inApp: javaInApp(b[1]) } : undefined;
  }
  // Java 9+ prints `java.base/java.lang.Thread.run` and `app//com.acme.X.run` (module or
  // class-loader prefix); the class name is what follows the last slash.
  const fn = m[1].slice(m[1].lastIndexOf('/') + 1);
  const src = m[2];
  const frame: StackFrame = { function: fn, inApp: javaInApp(fn, m[3]) };
  const c = src.lastIndexOf(':');
  const fileName = c > 0 ? src.slice(0, c) : src;
  if (c > 0) frame.line = toInt(src.slice(c + 1));
  if (fileName && fileName !== 'Native Method' && fileName !== 'Unknown Source' && !fileName.startsWith('<')) {
    frame.file = packagePath(fn, fileName);
  }
  return frame;
}

/** `com.acme.orders.OrderService$1.run` + `OrderService.java` → `com/acme/orders/OrderService.java`:
 *  the package gives the path suffix that the resolver matches against the workspace. */
function packagePath(fn: string, fileName: string): string {
  const parts = fn.split('.');
  // Drop the method, then the class (and anything after it); what remains is the package.
  parts.pop();
  // The class is the segment named like the file (`opencv_core$CvRect` in `opencv_core.java`),
  // which finds lower-case class names too; otherwise the run of capitalised segments.
  const base = fileName.replace(/\.\w+$/, '');
  let i = parts.length - 1;
  let named = -1;
  for (let k = parts.length - 1; k > 0; k--) if (parts[k].split('$')[0] === base) { named = k; break; }
  if (named > 0) i = named - 1;
  else while (i >= 0 && /^[A-Z$_]/.test(parts[i])) i--;
  const pkg = parts.slice(0, i + 1).filter((p) => /^[a-z_][\w]*$/.test(p));
  return pkg.length ? `${pkg.join('/')}/${fileName}` : fileName;
}

export function parseJava(lines: string[], maxFrames: number): ParsedStack {
  const chain: ParsedException[] = [];
  let cur: ParsedException | undefined;
  let pendingHeader: string | undefined;
  let truncated = false;
  for (const line of lines) {
    const cause = CAUSE.exec(line);
    if (cause) {
      // A wrapper printed without frames of its own (`ExceptionInInitializerError` from a
      // static initialiser, an exception logged by its header only) is still the outer one.
      if (chain.length === 0 && pendingHeader) {
        const outer: ParsedException = { frames: [] };
        setHeader(outer, pendingHeader);
        chain.push(outer);
      }
      cur = { frames: [] };
      setHeader(cur, cause[2]);
      chain.push(cur);
      continue;
    }
    const f = parseJavaFrame(line);
    if (f) {
      if (!cur) {
        cur = { frames: [] };
        if (pendingHeader) setHeader(cur, pendingHeader);
        chain.push(cur);
      }
      if (cur.frames.length < maxFrames) cur.frames.push(f);
      else truncated = true;
      continue;
    }
    const t = line.trim();
    // The header is the nearest line that starts with a class name; a message may run over
    // several lines, and loggers print their own line above it.
    if (!cur && t && !/^\.\.\. \d+ (?:more|common frames omitted)$/.test(t)) {
      if (HEADER_START.test(t)) pendingHeader = t;
      else if (pendingHeader === undefined || !HEADER_START.test(pendingHeader)) pendingHeader = t;
    }
  }
  if (chain.length === 0) return { frames: [], runtime: 'java', reason: 'no Java frames found' };
  const [top, ...causes] = chain;
  const out: ParsedStack = { type: top.type, message: top.message, frames: top.frames, runtime: 'java' };
  if (causes.length) out.causes = causes;
  if (truncated) out.truncated = true;
  return out;
}

function setHeader(e: ParsedException, text: string): void {
  const m = HEADER.exec(text.trim());
  if (m) {
    e.type = m[1];
    if (m[2] !== undefined) e.message = m[2];
  } else e.message = text.trim();
}
