// parseStackTrace: text of any supported runtime → exception type, message and frames.
// Contract: never throws; unparseable text yields no frames and a `reason`. Input is bounded
// (lines cut at 1 KiB, at most 5,000 lines, frame limit per exception, at most 20 causes) before
// any regex runs.
// Detection runs the runtimes in a fixed priority order on each line and picks the runtime
// with most frame-like lines; the order breaks ties (e.g. .NET `at X() in f:line 3` before V8).
import type { ParsedStack, Runtime, RuntimeHint, ParseOptions } from './types';
import { englishDotnetFrame } from './stack/dotnetLocale';
import { DEFAULT_MAX_FRAMES, MAX_CAUSES, prepareLines, stripSharedPrefix } from './stack/lines';
import { PY_FRAME, PY_TRACEBACK, parsePython } from './stack/python';
import { GO_GOROUTINE, GO_LOCATION, parseGo } from './stack/go';
import { JAVA_FRAME, parseJava } from './stack/java';
import { DOTNET_ASSEMBLY_FRAME, MONO_FRAME, hasDotnetFileSuffix, parseDotnet } from './stack/dotnet';
import { isRubyFrameLine, parseRuby } from './stack/ruby';
import { V8_FRAME, isGeckoFrame, parseJavaScript } from './stack/javascript';
import { isChromeConsoleFrame, isGeckoConsoleFrame, isSafariConsoleFrame } from './stack/consoleFrames';

type Family = 'python' | 'go' | 'java' | 'dotnet' | 'ruby' | 'js';

const JAVA_SOURCE = /\([\w$-]+\.(?:java|kt|kts|scala|groovy|clj):\d+\)|\((?:Native Method|Unknown Source)\)/;
const DOTNET_FRAME = /^\s*at [\w.`<>$|[\],]+\((?:[\w.`<>[\],&*]+ [\w@]+(?:, [\w.`<>[\],&*]+ [\w@]+)*)?\)(?: in |\s*$)/;

/** Priority order: the first family whose test matches a line claims it. */
const DETECTORS: { family: Family; test: (line: string) => boolean }[] = [
  { family: 'python', test: (l) => PY_TRACEBACK.test(l) || PY_FRAME.test(l) },
  { family: 'go', test: (l) => GO_GOROUTINE.test(l) || (GO_LOCATION.test(l) && /\.go:\d+/.test(l)) },
  { family: 'java', test: (l) => JAVA_SOURCE.test(l) && JAVA_FRAME.test(l) || /^\s*Caused by: [\w$.]+/.test(l) },
  { family: 'dotnet', test: (l) => hasDotnetFileSuffix(l) || DOTNET_FRAME.test(l) || DOTNET_ASSEMBLY_FRAME.test(l) || MONO_FRAME.test(l) || l.includes('--- End of stack trace from previous location') },
  { family: 'ruby', test: (l) => isRubyFrameLine(l) },
  { family: 'js', test: (l) => V8_FRAME.test(l) || isGeckoFrame(l) || isGeckoConsoleFrame(l) || isChromeConsoleFrame(l) || isSafariConsoleFrame(l) },
];

const HINT_FAMILY: Record<Runtime, Family> = { node: 'js', browser: 'js', python: 'python', java: 'java', go: 'go', dotnet: 'dotnet', ruby: 'ruby' };

export function detectFamily(lines: string[]): Family | undefined {
  const counts = new Map<Family, number>();
  for (const line of lines) {
    if (!line.trim()) continue;
    for (const d of DETECTORS) {
      if (d.test(line)) { counts.set(d.family, (counts.get(d.family) ?? 0) + 1); break; }
    }
  }
  let best: Family | undefined;
  let bestCount = 0;
  for (const d of DETECTORS) {
    const c = counts.get(d.family) ?? 0;
    if (c > bestCount) { best = d.family; bestCount = c; }
  }
  return best;
}

export function parseStackTrace(text: unknown, runtimeHint: RuntimeHint = 'auto', options: ParseOptions = {}): ParsedStack {
  try {
    if (typeof text !== 'string') return { frames: [], reason: 'input is not text' };
    if (!text.trim()) return { frames: [], reason: 'empty input' };
    const maxFrames = Math.max(1, options.maxFrames ?? DEFAULT_MAX_FRAMES);
    const prepared = prepareLines(text);
    const cut = prepared.cut;
    const lines = stripSharedPrefix(prepared.lines).map(englishDotnetFrame);
    const family = runtimeHint !== 'auto' ? HINT_FAMILY[runtimeHint] : detectFamily(lines);
    if (!family) return { frames: [], reason: 'no stack frames recognised (not a Node, browser, Python, Java, Go, .NET or Ruby trace)', truncated: cut || undefined };
    const jsHint = runtimeHint === 'node' || runtimeHint === 'browser' ? runtimeHint : undefined;
    const parsed = runFamily(family, lines, maxFrames, jsHint);
    if (cut) parsed.truncated = true;
    if (parsed.causes && parsed.causes.length > MAX_CAUSES) {
      parsed.causes = parsed.causes.slice(0, MAX_CAUSES);
      parsed.truncated = true;
    }
    if (parsed.frames.length === 0 && !parsed.causes?.some((c) => c.frames.length) && !parsed.reason) {
      parsed.reason = `no ${family} frames found`;
    }
    return parsed;
  } catch (err) {
    // A parser bug must not take the pipeline down: report it as the reason, with no frames.
    return { frames: [], reason: `parser failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function runFamily(family: Family, lines: string[], maxFrames: number, jsHint?: Runtime): ParsedStack {
  switch (family) {
    case 'python': return parsePython(lines, maxFrames);
    case 'go': return parseGo(lines, maxFrames);
    case 'java': return parseJava(lines, maxFrames);
    case 'dotnet': return parseDotnet(lines, maxFrames);
    case 'ruby': return parseRuby(lines, maxFrames);
    case 'js': return parseJavaScript(lines, maxFrames, jsHint);
  }
}

/** In-app frames with a file, nearest the throw site first, then those of the causes (root cause last). */
export function inAppFrames(stack: ParsedStack): ParsedStack['frames'] {
  const all = [...stack.frames, ...(stack.causes ?? []).flatMap((c) => c.frames)];
  return all.filter((f) => f.inApp && f.file);
}
