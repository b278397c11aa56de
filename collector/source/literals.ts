// SQL literal extraction, so a `db.statement`/`db.query.text` without a code location can be
// found at the string literal that holds it. Both sides are compared through the one SQL
// normaliser (../text/sql.ts, `sqlMatchKey`).

const SQL_START = /^\s*(?:select|insert|update|delete|with|merge|replace|upsert)\b/i;
const MAX_LITERAL = 8_192;

export interface FoundLiteral {
  /** 1-based line of the opening quote. */
  line: number;
  column: number;
  text: string;
}

/**
 * String literals in source text that start like SQL. A small scanner, not a parser: it knows
 * '…', "…", `…` (multi-line) and Python triple quotes, and skips `//` and `#` line comments
 * well enough that an apostrophe in a comment cannot swallow the rest of a file (single and
 * double quotes never cross a line end).
 */
export function sqlLiterals(text: string): FoundLiteral[] {
  const out: FoundLiteral[] = [];
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === '\n') { line++; lineStart = i + 1; continue; }
    if (c !== '"' && c !== "'" && c !== '`') continue;
    const triple = (c === '"' || c === "'") && text[i + 1] === c && text[i + 2] === c;
    const startLine = line;
    const startCol = i - lineStart + 1;
    const close = triple ? c.repeat(3) : c;
    const multiLine = triple || c === '`';
    let j = i + close.length;
    let buf = '';
    let closed = false;
    while (j < n) {
      const d = text[j];
      if (d === '\\') { buf += text.slice(j, j + 2); j += 2; continue; }
      if (d === '\n') {
        if (!multiLine) break;
        line++; lineStart = j + 1;
      }
      if (text.startsWith(close, j)) { closed = true; break; }
      if (buf.length < MAX_LITERAL) buf += d;
      j++;
    }
    if (closed && SQL_START.test(buf)) out.push({ line: startLine, column: startCol, text: buf });
    // Unclosed: resume at the line end so the outer loop still counts it.
    i = closed ? j + close.length - 1 : j - 1;
  }
  return out;
}
