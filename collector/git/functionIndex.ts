// A cheap syntax-level index of the code units (functions, methods, handlers) of one source
// file, so an AI diff can be measured by the code it changed rather than by its lines.
// Not a parser: brace matching with strings and comments skipped (JS/TS, Java, Go, C#),
// indentation for Python, `def … end` for Ruby. A wrong guess costs precision, never a
// crash: text that does not parse simply yields fewer units.

export interface CodeUnit {
  /** Best-effort name ("checkout", "GET /orders handler" is not attempted: the identifier). */
  name: string;
  /** 1-based inclusive lines, from the header line to the closing line. */
  start: number;
  end: number;
  /** Index of the enclosing unit in the same list, when nested. */
  parent?: number;
}

export type UnitLanguage = 'brace' | 'python' | 'ruby';

const BRACE_EXT = /\.(m?[jt]sx?|c[jt]s|java|go|cs|kt|scala|swift|php|rs)$/i;

/** The indexing family for a file name, or undefined when the file is not code we index. */
export function unitLanguageOf(file: string): UnitLanguage | undefined {
  if (BRACE_EXT.test(file)) return 'brace';
  if (/\.pyw?$/i.test(file)) return 'python';
  if (/\.rb$/i.test(file)) return 'ruby';
  return undefined;
}

/** Units of `text`, outer units before the units they contain (sorted by start line). */
export function indexUnits(text: string, lang: UnitLanguage): CodeUnit[] {
  const raw = lang === 'python' ? pythonUnits(text) : lang === 'ruby' ? rubyUnits(text) : braceUnits(text);
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  // Parent = the nearest earlier unit that encloses this one.
  const stack: number[] = [];
  raw.forEach((u, i) => {
    while (stack.length && raw[stack[stack.length - 1]].end < u.start) stack.pop();
    if (stack.length && raw[stack[stack.length - 1]].end >= u.end) u.parent = stack[stack.length - 1];
    stack.push(i);
  });
  return raw;
}

/** The innermost unit containing `line`, or -1. */
export function innermostAt(units: readonly CodeUnit[], line: number): number {
  let best = -1;
  units.forEach((u, i) => {
    if (u.start <= line && line <= u.end && (best < 0 || u.end - u.start <= units[best].end - units[best].start)) best = i;
  });
  return best;
}

/** Units containing any line of `ranges`, with the units around them (a failure in the
 *  enclosing function counts), and lines outside any unit as "lines A–B" pseudo-units. */
export function unitsTouched(units: readonly CodeUnit[], ranges: readonly { start: number; end: number }[]): { name: string; start: number; end: number }[] {
  const out = new Map<string, { name: string; start: number; end: number }>();
  for (const r of ranges) {
    for (let line = r.start; line <= r.end; line++) {
      let i = innermostAt(units, line);
      if (i < 0) out.set(`r${r.start}`, { name: `lines ${r.start}–${r.end}`, start: r.start, end: r.end });
      for (; i >= 0; i = units[i].parent ?? -1) out.set(`u${i}`, units[i]);
    }
  }
  return [...out.values()];
}

/** Control-flow keywords whose `(…) {` is a block, not a function body. */
const BLOCK_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'foreach', 'using', 'lock', 'fixed', 'synchronized', 'return', 'await', 'typeof', 'new', 'else', 'elif', 'do', 'try', 'match']);

function braceUnits(text: string): CodeUnit[] {
  // Code-only copy: strings and comments blanked (newlines kept) so brace matching and the
  // header look-back see structure only. Template literals are blanked whole (their `${}`
  // expressions rarely hold function bodies worth measuring).
  const code = blankStringsAndComments(text);
  const lineAt = lineIndex(code);
  const units: CodeUnit[] = [];
  const open: { pos: number; fn?: { name: string; headerPos: number } }[] = [];
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '{') open.push({ pos: i, fn: functionHeader(code, i) });
    else if (ch === '}') {
      const o = open.pop();
      if (o?.fn) units.push({ name: o.fn.name, start: lineAt(o.fn.headerPos), end: lineAt(i) });
    }
  }
  return units;
}

/** Decides whether the `{` at `brace` opens a function body, by looking back at its header. */
function functionHeader(code: string, brace: number): { name: string; headerPos: number } | undefined {
  let j = brace - 1;
  while (j >= 0 && /\s/.test(code[j])) j--;
  // Arrow function: `=> {`.
  if (code[j] === '>' && code[j - 1] === '=') {
    let k = j - 2;
    while (k >= 0 && /\s/.test(code[k])) k--;
    let paramsStart = k;
    if (code[k] === ')') paramsStart = matchBack(code, k);
    else while (paramsStart > 0 && /[\w$]/.test(code[paramsStart - 1])) paramsStart--;
    if (paramsStart < 0) return undefined;
    return { name: nameBefore(code, paramsStart) || 'anonymous', headerPos: paramsStart };
  }
  // `) {` or `): Type {` / `) Type {` (TS, Go, Java return types and `throws` clauses).
  let stmt = statementStart(code, j);
  // Go has no `;` before a top-level `func`: start at the last line that begins with it.
  const goAt = /(?:^|\n)[ \t]*func\b(?![\s\S]*\n[ \t]*func\b)/.exec(code.slice(stmt, j + 1));
  if (goAt) stmt += goAt.index + (goAt[0].startsWith('\n') ? 1 : 0);
  const tail = code.slice(stmt, j + 1);
  const close = lastTopLevelClose(tail);
  if (close < 0) return undefined;
  const after = tail.slice(close + 1);
  if (!/^\s*(:\s*)?[\w$<>[\]|&,.?\s'"*]*$/.test(after)) return undefined;
  const openParen = matchBack(tail, close);
  if (openParen < 0) return undefined;
  const before = tail.slice(0, openParen);
  const word = /([\w$]+)\s*(<[^<>]*>)?\s*$/.exec(before)?.[1];
  const first = /^\s*([\w$]+)/.exec(tail)?.[1];
  if (word && BLOCK_KEYWORDS.has(word)) return undefined;
  if (!word && !/\bfunc\b\s*$/.test(before)) {
    // Go methods: `func (s *S) Name(a int) (int, error) {` — the receiver comes first.
    if (first !== 'func') return undefined;
  }
  if (first && BLOCK_KEYWORDS.has(first) && first !== 'return' && first !== 'await' && first !== 'new') return undefined;
  const name = goName(tail) ?? (word === 'function' ? nameBefore(code, stmt) || 'anonymous' : word ?? 'anonymous');
  return { name, headerPos: stmt + (tail.length - tail.trimStart().length) };
}

function goName(tail: string): string | undefined {
  return /^\s*func\b\s*(?:\([^)]*\)\s*)?([\w$]+)/.exec(tail)?.[1];
}

/** The identifier a function value is bound to (`name = (`, `name: (`, `function name(`), or
 *  for a callback argument (`app.get('/x', async (req) =>`) "<callee> callback". */
function nameBefore(code: string, pos: number): string {
  const before = code.slice(Math.max(0, pos - 200), pos).replace(/\basync\s*$/, '');
  const bound = /(?:function\s*\*?\s*([\w$]+)\s*$)|(?:([\w$]+)\s*[:=]\s*(?:function\s*\*?\s*)?$)|(?:([\w$]+)\s*$)/.exec(before);
  if (bound) return bound[1] ?? bound[2] ?? bound[3];
  if (/[(,]\s*$/.test(before)) {
    const callee = /([\w$]+)\s*\([^()]*$/.exec(before)?.[1];
    return callee ? `${callee} callback` : '';
  }
  return '';
}

/** Start of the statement/expression that ends at `end`: after the previous `;`, `{` or `}`. */
function statementStart(code: string, end: number): number {
  let depth = 0;
  for (let k = end; k >= 0; k--) {
    const c = code[k];
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth === 0) return k + 1;
      depth--;
    } else if (depth === 0 && (c === ';' || c === '{' || c === '}')) return k + 1;
  }
  return 0;
}

function lastTopLevelClose(s: string): number {
  for (let k = s.length - 1; k >= 0; k--) {
    if (s[k] === ')') return k;
    if (s[k] === '(' || s[k] === '=' || s[k] === ';') return -1;
  }
  return -1;
}

/** Index of the `(` matching the `)` at `close`, or -1. */
function matchBack(s: string, close: number): number {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    if (s[k] === ')') depth++;
    else if (s[k] === '(' && --depth === 0) return k;
  }
  return -1;
}

function blankStringsAndComments(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const n = text[i + 1];
    if (c === '/' && n === '/') {
      const e = text.indexOf('\n', i);
      const end = e < 0 ? text.length : e;
      blank(i, end);
      i = end;
    } else if (c === '/' && n === '*') {
      const e = text.indexOf('*/', i + 2);
      const end = e < 0 ? text.length : e + 2;
      blank(i, end);
      i = end;
    } else if (c === '"' || c === "'" || c === '`') {
      let k = i + 1;
      while (k < text.length && text[k] !== c) {
        if (text[k] === '\\') k++;
        else if (text[k] === '\n' && c !== '`') break;
        k++;
      }
      blank(i + 1, k);
      i = k + 1;
    } else i++;
  }
  return out.join('');
}

function lineIndex(text: string): (pos: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (pos) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function pythonUnits(text: string): CodeUnit[] {
  const lines = text.split('\n');
  const units: CodeUnit[] = [];
  const indentOf = (s: string) => s.length - s.trimStart().length;
  lines.forEach((l, i) => {
    const m = /^(\s*)(?:async\s+)?def\s+([\w]+)\s*\(/.exec(l);
    if (!m) return;
    const indent = m[1].length;
    let end = i;
    for (let k = i + 1; k < lines.length; k++) {
      const t = lines[k];
      if (!t.trim() || /^\s*#/.test(t)) continue;
      // Continuation of a multi-line signature sits deeper or closes with `):`.
      if (indentOf(t) <= indent) break;
      end = k;
    }
    units.push({ name: m[2], start: i + 1, end: end + 1 });
  });
  return units;
}

function rubyUnits(text: string): CodeUnit[] {
  const lines = text.split('\n');
  const units: CodeUnit[] = [];
  const open: { name?: string; line: number }[] = [];
  lines.forEach((l, i) => {
    const t = l.replace(/#.*$/, '').trim();
    const def = /^def\s+([\w.?!]+)/.exec(t);
    if (def) {
      if (!/\bend$/.test(t) && !/=\s*\S/.test(t.slice(def[0].length).replace(/^\([^)]*\)/, ''))) open.push({ name: def[1], line: i + 1 });
      return;
    }
    if (/^(class|module|if|unless|while|until|case|begin|for)\b/.test(t) || /\bdo(\s*\|[^|]*\|)?$/.test(t)) open.push({ line: i + 1 });
    else if (t === 'end' || /^end\b/.test(t)) {
      const o = open.pop();
      if (o?.name) units.push({ name: o.name, start: o.line, end: i + 1 });
    }
  });
  return units;
}
