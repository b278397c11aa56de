// Editor capture's decision, kept here (no vscode) so the extension only feeds it facts:
// one text change that inserts several lines, which is not the clipboard's content (not a
// paste), not an undo/redo, and did not come one keystroke at a time, is a *suspected* AI
// edit (inline completion, chat "apply", agent). It stays suspected until the user confirms.

export interface InsertionFacts {
  /** Text the single change inserted. */
  insertedText: string;
  /** Text it replaced (empty for a pure insertion). */
  replacedText: string;
  /** Clipboard content at the time, when readable. */
  clipboardText?: string;
  /** The change came from undo/redo (`TextDocumentChangeReason`). */
  undoRedo?: boolean;
  /** More than one content change in the event (multi-cursor, format, refactor). */
  changeCount: number;
  /** The document is not a user file (output, git, settings). */
  nonFileScheme?: boolean;
}

export interface CaptureOptions {
  /** Fewest non-blank inserted lines that count. Default 3. */
  minLines?: number;
}

export type CaptureVerdict = { suspected: true; lines: number } | { suspected: false; why: string };

export function classifyInsertion(f: InsertionFacts, o: CaptureOptions = {}): CaptureVerdict {
  const min = o.minLines ?? 3;
  if (f.nonFileScheme) return { suspected: false, why: 'not a file' };
  if (f.undoRedo) return { suspected: false, why: 'undo/redo' };
  if (f.changeCount !== 1) return { suspected: false, why: 'several changes at once (multi-cursor, format, refactor)' };
  const norm = (s: string) => s.replace(/\r\n/g, '\n').trim();
  if (f.clipboardText !== undefined && norm(f.clipboardText) && norm(f.clipboardText) === norm(f.insertedText)) return { suspected: false, why: 'paste' };
  const lines = f.insertedText.split(/\r?\n/).filter((l) => l.trim()).length;
  if (lines < min) return { suspected: false, why: `fewer than ${min} lines` };
  // Moving a block (cut elsewhere, the same text back) is not new code.
  if (norm(f.replacedText) === norm(f.insertedText)) return { suspected: false, why: 'same text as replaced' };
  return { suspected: true, lines };
}
