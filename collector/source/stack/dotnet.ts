// .NET exception text (`Exception.ToString()`): `   at Ns.Type.Method(Args) in /path/File.cs:line 42`,
// frames without files, `--- End of stack trace from previous location ---`, inner exceptions
// (` ---> Type: msg`), and the one-line form where frames are joined by ` at `.
import type { ParsedException, ParsedStack, StackFrame } from '../types';
import { toInt } from './lines';
import { dotnetInApp } from './inApp';

/** `… ) in /path/File.cs:line 42` found with indexOf, not a regex: `.+` between two markers is quadratic on hostile lines. */
export function hasDotnetFileSuffix(line: string): boolean {
  const i = line.lastIndexOf(':line ');
  return i > 0 && /^\d/.test(line.slice(i + 6, i + 7)) && line.lastIndexOf(') in ', i) >= 0;
}

function splitFileSuffix(s: string): { head: string; file: string; line: number } | undefined {
  const m = /:line (\d+)\s*$/.exec(s);
  if (!m) return undefined;
  // The file starts after the first `) in ` (paths may contain ` in `, signatures do not).
  const paren = s.indexOf(') in ');
  const inAt = paren >= 0 && paren < m.index ? paren + 1 : s.lastIndexOf(' in ', m.index);
  if (inAt < 0) return undefined;
  return { head: s.slice(0, inAt), file: s.slice(inAt + 4, m.index), line: Number(m[1]) };
}
/** Frame splitter for the joined form: ` at ` followed by something that calls (`Name(`). */
const JOINED_AT = /\s+at\s+(?=[A-Za-z_<][\w.`<>$|[\],]{0,300}\()/;
const HEADER = /^(?:Unhandled [Ee]xception\.?:?\s*)?([A-Za-z_][\w.`]*(?:Exception|Error|Failure)\w*)(?::\s?(.*))?$/;

/** Mono's location suffix, `) [0x0001c] in <hash>:0`. */
export const MONO_FRAME = /\) \[0x[0-9a-f]+\] in <[0-9a-f]*>:\d+\s*$/i;

/** Application Insights and some loggers print the assembly instead of the arguments:
 *  `at Ns.Type.Method (Assembly.Name, Version=1.0.0.0, Culture=neutral, PublicKeyToken=…)`. */
export const DOTNET_ASSEMBLY_FRAME = /^\s*at [\w.`<>$|[\],+]+ \([^(),]+, Version=[\d.]+, Culture=[^()]*\)\s*$/;

export function parseDotnetFrame(text: string): StackFrame | undefined {
  let s = text.trim().replace(/\s+at$/, '');
  if (DOTNET_ASSEMBLY_FRAME.test(s)) s = s.replace(/ \([^()]*\)\s*$/, '()');
  if (s.startsWith('at ')) s = s.slice(3).trim();
  // Mono puts a space before the arguments: `at Ns.Type.Method (Type arg) [0x0001c] in <hash>:0`.
  if (!/^[A-Za-z_<][^\s(]* ?\(/.test(s)) return undefined;
  const frame: StackFrame = { inApp: false };
  const f = splitFileSuffix(s);
  if (f) {
    frame.file = f.file;
    frame.line = toInt(String(f.line));
    s = f.head;
  } else {
    // Mono: `[0x00011] in <hash>:0` carries no usable file.
    s = s.replace(/\s*\[0x[0-9a-f]+\] in <[0-9a-f]+>:\d+$/i, '');
  }
  const paren = s.indexOf('(');
  frame.function = paren > 0 ? s.slice(0, paren).trimEnd() : s;
  frame.inApp = dotnetInApp(frame.function);
  return frame;
}

export function parseDotnet(lines: string[], maxFrames: number): ParsedStack {
  // Normalise the joined form into one frame per entry first.
  const entries: string[] = [];
  for (const line of lines) {
    // The leading `at` of an ordinary frame line has no whitespace before it once trimmed,
    // so only joined frames split here; they get their `at` back.
    const parts = line.trim().split(JOINED_AT);
    entries.push(parts[0]);
    for (let i = 1; i < parts.length; i++) entries.push(`at ${parts[i]}`);
  }
  // Inner exceptions (` ---> T: msg`) are printed inside the outer header; the frames that
  // follow belong to the innermost one, and each `--- End of inner exception stack trace ---`
  // hands the next frames back to the enclosing exception.
  const chain: ParsedException[] = [{ frames: [] }];
  let level = 0;
  let truncated = false;
  let headerDone = false;
  for (const raw of entries) {
    const t = raw.trim();
    if (!t) continue;
    if (t.startsWith('--- End of inner exception')) { level = Math.max(0, level - 1); continue; }
    if (t.startsWith('--- End of')) continue;
    if (t.startsWith('--->')) {
      const inner: ParsedException = { frames: [] };
      setHeader(inner, t.replace(/^--->\s*/, ''));
      chain.push(inner);
      level = chain.length - 1;
      continue;
    }
    const cur = chain[level];
    const frame = /^at\s/.test(t) || headerDone ? parseDotnetFrame(t) : undefined;
    if (frame) {
      headerDone = true;
      if (cur.frames.length < maxFrames) cur.frames.push(frame);
      else truncated = true;
      continue;
    }
    if (!headerDone) {
      const top = chain[0];
      if (top.type !== undefined || chain.length > 1) {
        if (chain.length === 1) top.message = top.message ? `${top.message}\n${t}` : t;
      } else if (top.message === undefined || HEADER.test(t.split(' ---> ')[0])) {
        // Loggers print their own lines (`fail: Host[11]`, `Hosting failed to start`) above the
        // exception; the line that names an exception type is the header.
        top.message = undefined;
        // .NET Framework joins the chain on one line: `A: m1 ---> B: m2 ---> C: m3`.
        const [first, ...inner] = t.replace(/\s+at$/, '').split(' ---> ');
        setHeader(top, first);
        for (const part of inner) {
          const e: ParsedException = { frames: [] };
          setHeader(e, part);
          chain.push(e);
        }
        level = chain.length - 1;
      }
      else top.message = `${top.message}\n${t}`;
      if (/\s+at$/.test(t)) headerDone = true;
    }
  }
  const cur = chain[0];
  if (chain.every((e) => e.frames.length === 0)) return { type: cur.type, message: cur.message, frames: [], runtime: 'dotnet', reason: 'no .NET frames found' };
  const [top, ...causes] = chain;
  const out: ParsedStack = { type: top.type, message: top.message, frames: top.frames, runtime: 'dotnet' };
  if (causes.length) out.causes = causes;
  if (truncated) out.truncated = true;
  return out;
}

function setHeader(e: ParsedException, text: string): void {
  const m = HEADER.exec(text);
  if (m) {
    e.type = m[1];
    if (m[2] !== undefined) e.message = m[2];
  } else e.message = text;
}
