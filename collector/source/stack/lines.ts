// Input bounding shared by every stack parser. Contract: parsers only ever see lines cut to
// MAX_LINE chars and at most MAX_LINES lines, so no regex runs on unbounded input (long lines
// make backtracking regexes slow; Sentry hit exactly this).
export const MAX_LINE = 1024;
export const MAX_LINES = 5000;
export const MAX_INPUT = 1 << 20;
export const DEFAULT_MAX_FRAMES = 200;
/** Exceptions kept per chain besides the primary (causes, inner exceptions, sub-exceptions). */
export const MAX_CAUSES = 20;

export interface PreparedLines {
  lines: string[];
  /** Some line or the input itself was cut. */
  cut: boolean;
}

export function prepareLines(text: string): PreparedLines {
  let cut = false;
  let input = text;
  if (input.length > MAX_INPUT) { input = input.slice(0, MAX_INPUT); cut = true; }
  const lines: string[] = [];
  let start = 0;
  while (start <= input.length && lines.length < MAX_LINES) {
    let end = input.indexOf('\n', start);
    if (end < 0) end = input.length;
    let line = input.slice(start, Math.min(end, start + MAX_LINE));
    if (end - start > MAX_LINE) cut = true;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    lines.push(line);
    start = end + 1;
  }
  if (start < input.length) cut = true;
  return { lines, cut };
}

/** `file:///C:/x/y.js` → `C:/x/y.js`, `file:///app/x.js` → `/app/x.js`; anything else unchanged. */
export function fileUrlToPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  let p = file.slice(7);
  if (p.startsWith('localhost/')) p = p.slice(9);
  if (/^\/[A-Za-z]:[\\/]/.test(p)) p = p.slice(1);
  try {
    return decodeURIComponent(p);
  } catch {
    // Malformed %-escapes: the raw path is still the best we have.
    return p;
  }
}

export function toInt(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** `app    | ` as docker compose prints before every line of a service's output. */
const CONTAINER_PREFIX = /^[\w.-]{1,64}\s*\| ?/;

/** Removes a log prefix that (nearly) every line carries, such as a timestamp or docker compose's `service | `, so
 *  each runtime's parser sees the lines as the runtime printed them. Lines are already bounded. */
export function stripSharedPrefix(lines: string[]): string[] {
  const stamped = stripTimestamps(lines);
  if (stamped !== lines) return stamped;
  const first = lines.find((l) => l.trim());
  if (!first) return lines;
  const m = CONTAINER_PREFIX.exec(first);
  if (!m) return stripSharedWords(lines, first);
  const prefix = m[0];
  let nonEmpty = 0;
  let shared = 0;
  for (const l of lines) {
    if (!l.trim()) continue;
    nonEmpty++;
    if (l.startsWith(prefix) || l === prefix.trimEnd()) shared++;
  }
  if (shared < 2 || shared < nonEmpty * 0.8) return lines;
  return lines.map((l) => (l.startsWith(prefix) ? l.slice(prefix.length) : l === prefix.trimEnd() ? '' : l));
}

/** `2025-11-15T03:43:08.0900607Z ` (CI logs such as GitHub Actions) or `2024-10-14 13:39:57 `. */
const TIMESTAMP_PREFIX = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})? /;

function stripTimestamps(lines: string[]): string[] {
  let nonEmpty = 0;
  let stamped = 0;
  for (const l of lines) {
    if (!l.trim()) continue;
    nonEmpty++;
    if (TIMESTAMP_PREFIX.test(l)) stamped++;
  }
  if (stamped < 2 || stamped < nonEmpty * 0.8) return lines;
  return lines.map((l) => l.replace(TIMESTAMP_PREFIX, ''));
}

/** Words that start a trace line themselves, so a prefix made of them is not a log prefix. */
const TRACE_WORDS = /^(?:at|from|File|Traceback|Caused|goroutine|panic:|created|---|\.\.\.)$/;

/** `pod-7d9f container ` (kubectl logs --prefix) and similar: the first one to three words of the
 *  first line, when at least 80 % of the lines start with exactly those words. */
function stripSharedWords(lines: string[], first: string): string[] {
  if (/^\s/.test(first)) return lines;
  const words = first.split(' ', 4);
  // A longer prefix is shared only if the first word is: most traces stop at the next line.
  const one = `${words[0]} `;
  let seen = 0;
  for (const l of lines) {
    if (!l.trim()) continue;
    if (++seen > 4) break;
    if (!l.startsWith(one)) return lines;
  }
  for (let k = Math.min(3, words.length - 1); k >= 1; k--) {
    if (words.slice(0, k).some((w) => !w || TRACE_WORDS.test(w))) continue;
    const prefix = `${words.slice(0, k).join(' ')} `;
    let nonEmpty = 0;
    let shared = 0;
    for (const l of lines) {
      if (!l.trim()) continue;
      nonEmpty++;
      if (l.startsWith(prefix)) shared++;
    }
    if (shared >= 3 && shared >= nonEmpty * 0.8) return lines.map((l) => (l.startsWith(prefix) ? l.slice(prefix.length) : l));
  }
  return lines;
}
