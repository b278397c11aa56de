// The one SQL normaliser. Both the query analysis (grouping slow queries and N+1 by statement,
// and telling an ORM span and its driver span apart as one query) and the source search (a
// statement sent at run time found at the literal in the code) compare statements through it.
// Literals, placeholders (`?`, `$1`, `:name`, `@p`, `%s`, `%(name)s`, `${…}`) and IN-/VALUES
// lists become `?`; comments dropped; whitespace collapsed; keywords upper-cased.
// Bounded input and regexes linear in it: statements are telemetry.

const MAX_SQL = 8_192;
const KEYWORDS = /\b(select|from|where|and|or|in|insert|into|values|update|set|delete|join|left|right|inner|outer|on|order|by|group|limit|offset|as|is|not|like|having|returning|asc|desc|distinct|count|with)\b/gi;

/** Display form: `SELECT * FROM items WHERE order_id = ?`. */
export function normaliseSql(sql: string): string {
  return sql
    .slice(0, MAX_SQL)
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\$\{[^}]{0,200}\}/g, '?')
    .replace(/'(?:[^'\\]|\\.|''){0,4096}'/g, '?')
    .replace(/%\(\w+\)s|%[sdif]\b/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/(^|[^:\w]):[A-Za-z_]\w*/g, '$1?')
    .replace(/@[A-Za-z_]\w*/g, '?')
    .replace(/\b-?\d+(?:\.\d+)?\b/g, '?')
    .replace(/\b(?:true|false|null)\b/gi, '?')
    .replace(/\(\s*\?(?:\s*,\s*\?)*\s*\)/g, '(?)')
    .replace(/\bVALUES\s*\(\?\)(?:\s*,\s*\(\?\))*/gi, 'VALUES (?)')
    .replace(/\s+/g, ' ')
    .replace(/\s*([=<>!,()])\s*/g, (_m, c: string) => (c === ',' ? ', ' : c === '(' || c === ')' ? c : ` ${c} `))
    .replace(/\s+/g, ' ')
    .replace(KEYWORDS, (k) => k.toUpperCase())
    .replace(/\s*;+\s*$/, '')
    .trim();
}

/** Comparison form of the same normalisation: lower case, no spaces around punctuation. */
export function sqlMatchKey(sql: string): string {
  return normaliseSql(sql).toLowerCase().replace(/\s*([(),=<>!;])\s*/g, '$1');
}
