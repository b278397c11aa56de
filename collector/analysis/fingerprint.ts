// Error fingerprinting, strategy v1: exception type + the in-app frames' module and function
// (no line numbers, so an edit above the throw does not split a group). Without frames: type +
// parameterised message. Each component says whether it contributed and why.
// The stack parser is injected (collector/source owns the real one); `basicStackParser` is a
// small V8/Python fallback so the analyzer works on its own.
import type { Fingerprint, FingerprintComponent } from './types';
import { parameteriseMessage, shortHash } from './normalize';

export const FINGERPRINT_VERSION = 'v1';
const MAX_FRAMES = 5;

export interface StackFrame {
  file: string;
  line?: number;
  column?: number;
  function?: string;
  inApp: boolean;
}

export interface ParsedStack {
  type?: string;
  message?: string;
  frames: StackFrame[];
}

export interface StackParser {
  parseStackTrace(text: string, runtimeHint?: string): ParsedStack;
}

/** Module of a frame: the path without directories above the last two, extension or query,
 *  and with bundler hashes removed, so the same code in two deploy paths matches. */
export function frameModule(file: string): string {
  const clean = file.replace(/\\/g, '/').replace(/[?#].*$/, '').replace(/^(?:file|webpack(?:-internal)?):\/+/, '');
  const parts = clean.split('/').filter(Boolean).slice(-2);
  return parts.join('/').replace(/\.[cm]?[jt]sx?$|\.py$|\.rb$|\.java$|\.go$/, '').replace(/[.-][0-9a-f]{8,}(?=\.|$)/i, '');
}

function frameFunction(fn: string | undefined): string {
  if (!fn) return '?';
  const f = fn.replace(/^async /, '').replace(/^(?:Object|Module)\.<anonymous>$|^<anonymous>$/, '?');
  return f.replace(/\s*\[as [^\]]+\]$/, '');
}

export function computeFingerprint(type: string, message: string, stack: ParsedStack | undefined): Fingerprint {
  const components: FingerprintComponent[] = [];
  components.push({ name: 'type', contributes: true, values: [type], hint: 'exception type' });
  const frames = stack?.frames ?? [];
  const inApp = frames.filter((f) => f.inApp);
  const used = (inApp.length ? inApp : frames).slice(0, MAX_FRAMES);
  const frameValues = used.map((f) => `${frameModule(f.file)}:${frameFunction(f.function)}`);
  const framesContribute = frameValues.length > 0;
  components.push({
    name: 'frames',
    contributes: framesContribute,
    values: frameValues,
    hint: !frames.length
      ? 'no stack trace'
      : inApp.length
        ? `top ${used.length} in-app frame(s): module + function, no line numbers`
        : `no in-app frames; top ${used.length} frame(s) used`,
  });
  const param = parameteriseMessage(message);
  components.push({
    name: 'message',
    contributes: !framesContribute,
    values: [param],
    hint: framesContribute ? 'ignored because a stack trace is available' : 'parameterised message (numbers, ids, quoted values replaced)',
  });
  const basis = [FINGERPRINT_VERSION, ...components.filter((c) => c.contributes).map((c) => `${c.name}=${c.values.join('|')}`)].join('\n');
  return { version: FINGERPRINT_VERSION, hash: shortHash(basis), components };
}

const V8_FRAME = /^\s*at (?:(.+?) \()?(.*?):(\d+):(\d+)\)?\s*$/;
const PY_FRAME = /^\s*File "([^"]+)", line (\d+), in (.+)$/;

/** Fallback parser: V8 (`at fn (file:line:col)`) and Python tracebacks. A frame is in-app
 *  unless it is in node_modules, site-packages or a runtime-internal path. */
export const basicStackParser: StackParser = {
  parseStackTrace(text: string): ParsedStack {
    const lines = text.split('\n', 200).map((l) => l.slice(0, 1024));
    const frames: StackFrame[] = [];
    let type: string | undefined, message: string | undefined;
    const py = lines.some((l) => PY_FRAME.test(l));
    for (const l of lines) {
      const m = py ? PY_FRAME.exec(l) : V8_FRAME.exec(l);
      if (m) {
        const [file, line, fn] = py ? [m[1], Number(m[2]), m[3]] : [m[2], Number(m[3]), m[1]];
        const inApp = !/node_modules|site-packages|^node:|^internal\/|\/lib\/python\d/.test(file);
        frames.push({ file, line, function: fn, inApp });
      } else if (!frames.length && !py && type === undefined) {
        const t = /^([\w$.]+)(?::\s?(.*))?$/.exec(l.trim());
        if (t) [type, message] = [t[1], t[2] ?? ''];
      } else if (py && /^[\w.]+(?::|$)/.test(l)) {
        const t = /^([\w.]+)(?::\s?(.*))?$/.exec(l.trim());
        if (t) [type, message] = [t[1], t[2] ?? ''];
      }
    }
    // Python lists the innermost frame last; the model is innermost first.
    if (py) frames.reverse();
    return { type, message, frames };
  },
};
