// Error fingerprinting, strategy v1: exception type + the in-app frames' module and function
// (no line numbers, so an edit above the throw does not split a group). Without frames, or
// when the top in-app frame is anonymous: type + parameterised message too. Each component says whether it contributed and why.
// The stack parser is injected (collector/source owns the real one; ./stackParser.ts adapts it).
import type { ParsedStack } from '../../source/types';
import type { Fingerprint, FingerprintComponent } from './types';
import { parameteriseMessage, shortHash } from '../shared/normalize';

export const FINGERPRINT_VERSION = 'v1';
const MAX_FRAMES = 5;

export interface StackParser {
  parseStackTrace(text: string, runtimeHint?: string): ParsedStack;
}

/** Module of a frame: the path without directories above the last two, extension or query,
 *  and with bundler hashes removed, so the same code in two deploy paths matches. */
export function frameModule(file: string | undefined): string {
  if (!file) return '?';
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
  // An anonymous top frame (an inline route handler) says only "somewhere in this file": two
  // different throws there would share one group, so the parameterised message tells them apart.
  const anonymousTop = framesContribute && frameFunction(used[0].function) === '?';
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
    contributes: !framesContribute || anonymousTop,
    values: [param],
    hint: anonymousTop
      ? 'parameterised message, because the top in-app frame is an anonymous function'
      : framesContribute ? 'ignored because a stack trace is available' : 'parameterised message (numbers, ids, quoted values replaced)',
  });
  const basis = [FINGERPRINT_VERSION, ...components.filter((c) => c.contributes).map((c) => `${c.name}=${c.values.join('|')}`)].join('\n');
  return { version: FINGERPRINT_VERSION, hash: shortHash(basis), components };
}
