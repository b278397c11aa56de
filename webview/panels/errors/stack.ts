// Frames for the errors panel: the collector's mapped frames when it sends them, else the
// raw sample stack parsed with the collector's own parser (pure code, bundled here).
import type { ErrorGroupDetail, StackFrameView } from '../../protocol';
import { parseStackTrace } from '../../../collector/source/stackTrace';

export function framesOf(group: ErrorGroupDetail): StackFrameView[] {
  if (group.frames?.length) return group.frames;
  const sample = group.samples.find((s) => s.stack);
  if (!sample?.stack) {
    const loc = group.location;
    return loc ? [{ file: loc.file, line: loc.line, column: loc.column, function: loc.function, inApp: true, raw: `${loc.file}:${loc.line}` }] : [];
  }
  const parsed = parseStackTrace(sample.stack);
  return parsed.frames.map((f) => ({
    file: f.file,
    line: f.line,
    column: f.column,
    function: f.function,
    inApp: f.inApp,
    raw: `${f.function ? `${f.function} ` : ''}${f.file ?? '?'}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}`,
  }));
}
