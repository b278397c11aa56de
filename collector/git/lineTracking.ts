// Ranges follow the code: a range recorded against an old text is moved or shrunk onto the
// current text with jsdiff; a range whose lines are all gone is reported removed (callers
// keep it as removed, they do not delete it). The same line mapping carries telemetry that
// names an older revision's line onto today's line.
import { diffLines } from 'diff';
import { hashRange, splitLines } from './hash';
import type { LineRange } from './types';

/** Above this many edits jsdiff gives up (it is O(N·D)); callers fall back to the content hash. */
const MAX_EDIT_LENGTH = 20_000;

/** old line (1-based) → new line (1-based), 0 when the old line is gone. */
export class LineMapping {
  constructor(readonly oldToNew: Int32Array, readonly newLineCount: number) {}

  /** The new line of an old line, or undefined when it was deleted or rewritten. */
  exact(oldLine: number): number | undefined {
    const n = this.oldToNew[oldLine - 1];
    return n ? n : undefined;
  }

  /** Like `exact`, but a deleted line maps to where its surviving predecessor went (+1), so
   *  telemetry on a rewritten line still lands next to the code that replaced it. */
  nearest(oldLine: number): { line: number; exact: boolean } | undefined {
    if (oldLine < 1 || oldLine > this.oldToNew.length) return undefined;
    const e = this.exact(oldLine);
    if (e) return { line: e, exact: true };
    for (let l = oldLine - 1; l >= 1; l--) {
      const n = this.oldToNew[l - 1];
      if (n) return { line: Math.min(n + 1, Math.max(1, this.newLineCount)), exact: false };
    }
    return { line: 1, exact: false };
  }
}

/** Line mapping between two texts; undefined when they differ too much to diff cheaply. */
export function lineMapping(oldText: string, newText: string): LineMapping | undefined {
  const a = normalize(oldText);
  const b = normalize(newText);
  const oldCount = splitLines(a).length;
  const map = new Int32Array(oldCount);
  const changes = diffLines(a, b, { maxEditLength: MAX_EDIT_LENGTH, stripTrailingCr: true });
  if (!changes) return undefined;
  let o = 0;
  let n = 0;
  for (const c of changes) {
    const count = c.count ?? splitLines(c.value).length;
    if (c.added) n += count;
    else if (c.removed) o += count;
    else {
      for (let k = 0; k < count; k++) map[o + k] = n + k + 1;
      o += count;
      n += count;
    }
  }
  return new LineMapping(map, splitLines(b).length);
}

export interface Tracked {
  ranges: LineRange[];
  removed: LineRange[];
}

/** Moves or shrinks ranges (recorded against `oldText`) onto `newText`. A range keeps the
 *  span from its first to its last surviving line; its hash is recomputed on the new text. */
export function trackRanges(oldText: string, newText: string, ranges: readonly LineRange[], mapping = lineMapping(oldText, newText)): Tracked {
  const newLines = splitLines(normalize(newText));
  const out: Tracked = { ranges: [], removed: [] };
  for (const r of ranges) {
    const t = mapping ? trackOne(mapping, r, newLines) : refindByHash(r, newLines);
    if (t) out.ranges.push(t);
    else out.removed.push(r);
  }
  return out;
}

function trackOne(m: LineMapping, r: LineRange, newLines: string[]): LineRange | undefined {
  let first = 0;
  let last = 0;
  for (let l = r.start; l <= r.end; l++) {
    const n = m.exact(l);
    if (!n) continue;
    if (!first) first = n;
    last = n;
  }
  if (!first) return undefined;
  return { start: first, end: last, hash: hashRange(newLines, first, last) };
}

/** Finds a range by its content hash: at its old place, else the nearest window of the
 *  same length with the same hash. Undefined when the content is nowhere. */
export function refindByHash(r: LineRange, lines: readonly string[]): LineRange | undefined {
  const len = r.end - r.start + 1;
  if (len < 1 || len > lines.length) return undefined;
  if (r.end <= lines.length && hashRange(lines, r.start, r.end) === r.hash) return { ...r };
  let best: number | undefined;
  for (let s = 1; s + len - 1 <= lines.length; s++) {
    if (hashRange(lines, s, s + len - 1) !== r.hash) continue;
    if (best === undefined || Math.abs(s - r.start) < Math.abs(best - r.start)) best = s;
  }
  return best === undefined ? undefined : { start: best, end: best + len - 1, hash: r.hash };
}

/** Maps one line of `oldText` onto `newText` (nearest surviving place when it was rewritten). */
export function mapLine(oldText: string, newText: string, line: number): { line: number; exact: boolean } | undefined {
  return lineMapping(oldText, newText)?.nearest(line);
}

function normalize(text: string): string {
  const t = text.replace(/\r\n/g, '\n');
  return t === '' || t.endsWith('\n') ? t : t + '\n';
}
