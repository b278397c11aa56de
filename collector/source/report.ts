// A parsed stack with each in-app frame resolved (or the reason it could not be): the shape
// `vibewatch resolve` prints, and what a live method answering "where is this trace in my
// workspace?" would return.
import type { FrameResolution, ParsedStack, StackFrame } from './types';
import type { Locator } from './locator';

export interface ResolvedFrame extends StackFrame {
  resolved?: { file: string; line: number; column?: number; via: string; confidence: number; generated?: { file: string; line: number; column?: number } };
  ambiguous?: string[];
  /** Why an in-app frame could not be placed. */
  why?: string;
}

export interface StackReport {
  exception: { type?: string; message?: string };
  runtime?: string;
  reason?: string;
  truncated?: boolean;
  frames: ResolvedFrame[];
  causes?: { exception: { type?: string; message?: string }; frames: ResolvedFrame[] }[];
}

export function stackReport(locator: Locator, stack: ParsedStack): StackReport {
  const frames = (list: StackFrame[]): ResolvedFrame[] => list.map((f) => (f.inApp ? { ...f, ...resolutionFields(locator.resolveFrame(f, 'stack')) } : f));
  return {
    exception: { type: stack.type, message: stack.message },
    runtime: stack.runtime,
    reason: stack.reason,
    truncated: stack.truncated,
    frames: frames(stack.frames),
    causes: stack.causes?.map((c) => ({ exception: { type: c.type, message: c.message }, frames: frames(c.frames) })),
  };
}

export function resolutionFields(r: FrameResolution): Pick<ResolvedFrame, 'resolved' | 'ambiguous' | 'why'> {
  if (r.kind === 'location') {
    const l = r.location;
    return { resolved: { file: l.file, line: l.line, column: l.column, via: l.via, confidence: l.confidence, generated: r.generated } };
  }
  if (r.kind === 'ambiguous') return { ambiguous: r.ambiguous, why: r.reason };
  return { why: r.reason };
}
