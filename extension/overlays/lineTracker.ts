// Moves collector line numbers with the user's edits, so overlays follow the code without
// waiting for (or flickering on) a refetch. The collector's lines are in the coordinates of
// the file on disk; the tracker records every edit to the buffer since the document was
// opened or last saved and maps a disk line to its buffer line (undefined when the line
// was deleted). Pure: no vscode import (unit-tested in plain Node).
//
// Limit: after a save the buffer is the disk content and the tracker is reset; telemetry
// from a process still running the old code keeps its old line numbers until new
// telemetry (or the collector's revision mapping) moves them.

/** One document content change in 0-based line/character coordinates. */
export interface LineChange {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
  /** Number of line breaks in the inserted text. */
  insertedLines: number;
  /** Whether the inserted text ends with a line break (an insertion of whole lines). */
  endsWithNewline: boolean;
}

export function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Maps one 0-based line through one change; undefined when the line was removed. */
export function mapThrough(line: number, c: LineChange): number | undefined {
  const delta = c.insertedLines - (c.endLine - c.startLine);
  if (line < c.startLine) return line;
  if (line > c.endLine) return line + delta;
  // Whole lines inserted (or replaced) at the start of this line: its text moves down.
  if (line === c.endLine && c.endChar === 0 && c.startChar === 0 && (c.endsWithNewline || c.insertedLines === 0)) {
    return line + delta;
  }
  // Replaced from its first character down into later lines: the line's own text is gone.
  if (line === c.startLine && c.startChar === 0 && c.endLine > c.startLine) return undefined;
  if (line === c.startLine) return line; // edited in place: the line keeps its place
  return undefined; // inside a replaced range
}

export class LineTracker {
  private changes: LineChange[] = [];

  /** Records a change; edits inside one line (typing) do not move lines and are not kept. */
  record(c: LineChange): void {
    if (c.insertedLines === 0 && c.startLine === c.endLine) return;
    this.changes.push(c);
  }

  get isIdentity(): boolean {
    return this.changes.length === 0;
  }

  map(line: number): number | undefined {
    let l: number | undefined = line;
    for (const c of this.changes) {
      l = mapThrough(l, c);
      if (l === undefined) return undefined;
    }
    return l;
  }

  reset(): void {
    this.changes = [];
  }
}
