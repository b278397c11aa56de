// Finds the first stack frame that belongs to the app: not Node's internals, not a
// dependency under node_modules, not vibewatch itself. Uses V8's structured call sites
// (Error.prepareStackTrace for the duration of one capture), which skips formatting the
// stack into text — the expensive half of `new Error().stack`.
import { fileURLToPath } from 'node:url';

export interface AppFrame {
  file: string;
  line: number;
  column: number;
  function?: string;
}

/** Frames whose file starts with one of these are ours (the register bundle or its sources). */
let ownPrefixes: string[] = [];
export function setOwnFolders(folders: string[]): void {
  ownPrefixes = folders.map((f) => (f.endsWith('/') ? f : f + '/'));
}

export function isAppFile(file: string): boolean {
  if (file.startsWith('node:') || !file.includes('/')) return false; // node:internal, `internal/...`, `<anonymous>`
  if (file.includes('/node_modules/')) return false;
  for (const p of ownPrefixes) if (file.startsWith(p)) return false;
  return true;
}

// Capture cost grows with the number of frames (measured: ~3x from 5 to 20 frames), and the
// app frame is usually within the first few (SDK → instrumentation → app), so a short
// capture first and a long one only when the short one held no app frame.
const SHORT_LIMIT = 10;
const LONG_LIMIT = 50;
type Prepare = (err: Error, stack: NodeJS.CallSite[]) => unknown;
const structured: Prepare = (_e, s) => s;

/** The first app frame on the current stack (frames above `below` are left out), or undefined. */
export function firstAppFrame(below: Function): AppFrame | undefined {
  const short = capture(below, SHORT_LIMIT);
  const found = short && pick(short);
  if (found || !short || short.length < SHORT_LIMIT) return found;
  const long = capture(below, LONG_LIMIT);
  return long ? pick(long.slice(SHORT_LIMIT)) : undefined;
}

function capture(below: Function, limit: number): NodeJS.CallSite[] | undefined {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[] | undefined;
  try {
    Error.stackTraceLimit = limit;
    (Error as { prepareStackTrace?: Prepare }).prepareStackTrace = structured;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, below);
    sites = holder.stack as NodeJS.CallSite[] | undefined; // read while our prepare is installed
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
  return Array.isArray(sites) ? sites : undefined;
}

function pick(sites: NodeJS.CallSite[]): AppFrame | undefined {
  for (const cs of sites) {
    let file = cs.getFileName() ?? (cs as { getScriptNameOrSourceURL?: () => string }).getScriptNameOrSourceURL?.();
    if (!file) continue;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (!isAppFile(file)) continue;
    const line = cs.getLineNumber();
    if (line === null || line === undefined) continue;
    return {
      file: file.replace(/\\/g, '/'),
      line,
      column: cs.getColumnNumber() ?? 0,
      function: functionName(cs),
    };
  }
  return undefined;
}

function functionName(cs: NodeJS.CallSite): string | undefined {
  const fn = cs.getFunctionName();
  if (fn) {
    const type = cs.getTypeName();
    return cs.getMethodName() && type && type !== 'Object' && !fn.includes('.') ? `${type}.${fn}` : fn;
  }
  return cs.getMethodName() ?? undefined;
}

/** The app frame that called straight into a framework: the first app frame, provided every
 *  frame above it belongs to `through` (the framework's own files). Undefined when anything
 *  else sits in between, e.g. NestJS registering its routes through Express from the app's
 *  bootstrap line, which would put every route on that one line. */
export function directAppCaller(below: Function, through: RegExp): AppFrame | undefined {
  const sites = capture(below, LONG_LIMIT);
  if (!sites) return undefined;
  for (const cs of sites) {
    let file = cs.getFileName() ?? '';
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (isAppFile(file)) return pick([cs]);
    if (ownPrefixes.some((p) => file.startsWith(p))) continue;
    // Built-ins between the framework's frames (`fns.forEach(…)` in Express's `app.use`).
    if (!file || file === 'native') continue;
    if (!through.test(file.replace(/\\/g, '/'))) return undefined;
  }
  return undefined;
}

/** The first app frame, provided a frame of `via` sits above it: the app line that made a
 *  library call the framework (NestJS mounting its body parsers during `app.listen()`). */
export function appCallerVia(below: Function, via: RegExp): AppFrame | undefined {
  const sites = capture(below, LONG_LIMIT);
  if (!sites) return undefined;
  let seen = false;
  for (const cs of sites) {
    let file = cs.getFileName() ?? '';
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (isAppFile(file)) return seen ? pick([cs]) : undefined;
    if (via.test(file.replace(/\\/g, '/'))) seen = true;
  }
  return undefined;
}

/** The app frame running a module's top level (the frame under it is Node's module loader),
 *  else the first app frame. That is where a class's decorators are evaluated; the first app
 *  frame alone would be a decorator helper of the app's own in another file
 *  (`export const ApiGet = (p) => applyDecorators(Get(p), …)`), the same line for every route. */
export function moduleScopeAppFrame(below: Function): AppFrame | undefined {
  const sites = capture(below, LONG_LIMIT);
  if (!sites) return undefined;
  let first: NodeJS.CallSite | undefined;
  for (let i = 0; i < sites.length; i++) {
    let file = sites[i]!.getFileName() ?? '';
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (!isAppFile(file)) continue;
    first ??= sites[i];
    if ((sites[i + 1]?.getFileName() ?? '').startsWith('node:internal/modules/')) return pick([sites[i]!]);
  }
  return first ? pick([first]) : undefined;
}
