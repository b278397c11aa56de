// SQL text for ClickHouse 18.16 and later. That version has no query parameters over HTTP
// (`{name:Type}` answers "Unknown setting param_…"), so every value is written into the
// query as a literal here, and only here: strings quoted with every backslash, quote and
// control character escaped; numbers checked finite; identifiers checked against a pattern.
// Telemetry is untrusted: nothing else builds SQL from its values.

/** A string literal: 'text' with \\, \', NUL and line breaks escaped. */
export function str(s: string): string {
  return `'${s.replace(/[\\'\0\n\r\t]/g, (c) => (c === '\0' ? '\\0' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`))}'`;
}

/** A numeric literal; throws on NaN/Infinity (a caller bug, never telemetry: filters are validated). */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}

export function int(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(Math.trunc(n));
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A database, table or cluster name given by the operator: letters, digits, underscore. */
export function ident(name: string, what: string): string {
  if (!IDENT.test(name)) throw new Error(`${what} ${JSON.stringify(name)}: use letters, digits and _ (starting with a letter or _)`);
  return name;
}

/** Lower-case needle for `position(lowerUTF8(col), needle) > 0` (case-insensitive contains). */
export function contains(col: string, text: string): string {
  return `position(lowerUTF8(${col}), ${str(text.toLowerCase())}) > 0`;
}
