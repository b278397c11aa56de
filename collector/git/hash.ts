// Content hash of a line range, used to re-find a range after edits moved it. Trailing
// whitespace and line endings are ignored so a CRLF checkout or an editor trimming
// whitespace does not lose the range.
import { createHash } from 'node:crypto';

export function hashLines(lines: readonly string[]): string {
  const h = createHash('sha256');
  for (const l of lines) h.update(l.replace(/\s+$/, '')).update('\n');
  return 'sha256:' + h.digest('hex').slice(0, 16);
}

/** Splits text into lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Hash of lines start..end (1-based inclusive) of `lines`. */
export function hashRange(lines: readonly string[], start: number, end: number): string {
  return hashLines(lines.slice(start - 1, end));
}
