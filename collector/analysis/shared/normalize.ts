// Text normalisation used for grouping: messages, URLs, durations (SQL: ../text/sql.ts; globs: ./glob.ts).
// All functions bound their input length first, and each regex does work linear in it (every
// match attempt is bounded or starts only where a run starts), because messages are telemetry.

const MAX_TEXT = 4096;

/** Replace the variable parts of an error message so that one bug is one group. */
export function parameteriseMessage(message: string): string {
  return message
    .slice(0, MAX_TEXT)
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    // The local part starts where a run of its characters starts (lookbehind, not `\b`):
    // with `\b` every position inside a long `a.a.a.…` run started a scan to its end.
    .replace(/(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>')
    .replace(/\b(?:https?|wss?):\/\/[^\s'"`]+/g, '<url>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>')
    .replace(/"(?:[^"\\]|\\.){0,200}"|'(?:[^'\\]|\\.){0,200}'|`(?:[^`\\]|\\.){0,200}`/g, '<str>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>')
    .replace(/\b\d[\d_,.]*\b/g, '<num>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Turn a concrete URL path into a template: numeric, uuid and hex segments become `{id}`. */
export function urlTemplate(url: string): string {
  let path = url.slice(0, MAX_TEXT);
  const m = /^[a-z]+:\/\/([^/?#]+)([^?#]*)/i.exec(path);
  const host = m ? m[1] : '';
  path = m ? m[2] || '/' : path.replace(/[?#].*$/, '');
  const segs = path.split('/').map((s) =>
    /^\d+$/.test(s) || /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(s) || (/^[0-9a-f]{12,}$/i.test(s) && /\d/.test(s)) ? '{id}' : s,
  );
  return host + segs.join('/');
}

/** `"30s"`, `"2m"`, `"1h"`, `"500ms"` or a number of ms. Undefined/invalid → 0. */
export function parseDurationMs(d: string | number | undefined): number {
  if (d === undefined) return 0;
  if (typeof d === 'number') return Number.isFinite(d) && d > 0 ? d : 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(d);
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
}

/** A short stable hash (FNV-1a 64 → 16 hex), cheap enough for the ingest path. */
export function shortHash(text: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** A small bounded cache, emptied when full. (Evicting the first key of a JS Map one at a time
 *  is slow: the iterator walks over the deleted entries until the next rehash.) */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
  }
}
