// SQL literal extraction and normalisation, so a `db.statement`/`db.query.text` without a
// code location can be found at the string literal that holds it. Both sides are normalised
// the same way: lowercase, whitespace collapsed, placeholders (`?`, `$1`, `:name`, `@p`,
// `%s`, `${…}`) and inlined values (numbers, quoted strings) turned into `?`.

const SQL_START = /^\s*(?:select|insert|update|delete|with|merge|replace|upsert)\b/i;
const MAX_LITERAL = 8_192;

export function normaliseSql(sql: string): string {
  let s = sql.length > MAX_LITERAL ? sql.slice(0, MAX_LITERAL) : sql;
  s = s.replace(/\$\{[^}]{0,200}\}/g, '?')
    .replace(/'(?:[^'\\]|\\.|'')*'/g, '?')
    .replace(/%\(\w+\)s|%[sdif]/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/(^|[^:\w]):[A-Za-z_]\w*/g, '$1?')
    .replace(/@[A-Za-z_]\w*/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),=<>;])\s*/g, '$1')
    .replace(/;+$/, '')
    .trim();
  // `IN (?, ?, ?)` and `IN (?)` are the same statement.
  s = s.replace(/\(\?(?:,\?)+\)/g, '(?)');
  return s;
}

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
