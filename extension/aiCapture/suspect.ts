// Decides whether one document change looks like an AI edit landing in the editor (an agent
// or a chat "apply"): a single change that inserts several lines at once, is not the
// clipboard's content (a paste), replaces at most one line (not a formatter or a reload),
// and is not an undo/redo. Typing never inserts several lines in one change. Pure.

export interface ChangeFacts {
  /** Number of content changes in the event (multi-cursor edits are not AI applies). */
  changeCount: number;
  text: string;
  /** Lines spanned by the replaced range (0 for a pure insertion within one line). */
  replacedLines: number;
  isUndoRedo: boolean;
  /** The clipboard's text at the time of the change, when it could be read. */
  clipboard?: string;
  minLines: number;
}

const norm = (s: string) => s.replace(/\r\n/g, '\n').trim();

export function insertedLineCount(text: string): number {
  const t = text.replace(/\r\n/g, '\n').replace(/^\n+|\n+$/g, '');
  return t === '' ? 0 : t.split('\n').filter((l) => l.trim() !== '').length;
}

export function isSuspectedAiInsertion(f: ChangeFacts): boolean {
  if (f.changeCount !== 1 || f.isUndoRedo || f.replacedLines > 1) return false;
  if (insertedLineCount(f.text) < f.minLines) return false;
  if (f.clipboard !== undefined && f.clipboard.trim() !== '' && norm(f.clipboard) === norm(f.text)) return false;
  return true;
}

/** 1-based inclusive lines the inserted text occupies, given where it was inserted (0-based). */
export function insertedRange(startLine0: number, startChar: number, text: string): { start: number; end: number } {
  let body = text.replace(/\r\n/g, '\n');
  let start = startLine0 + 1;
  // Inserted after some text of a line, beginning with a line break: the new lines start below.
  if (startChar > 0 && body.startsWith('\n')) {
    start += 1;
    body = body.slice(1);
  }
  const trailing = body.endsWith('\n') ? 1 : 0;
  const newlines = body.split('\n').length - 1 - trailing;
  return { start, end: start + Math.max(0, newlines) };
}
