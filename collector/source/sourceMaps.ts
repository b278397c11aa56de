// Compiled JavaScript position → original source position through its source map
// (`//# sourceMappingURL=` inline data URL or file, else `file.js.map` beside it). Maps are
// cached per generated file and reloaded when the file's mtime changes; files without a map
// are cached as such too, so a hot path never re-reads them.
// Both files are untrusted input naming paths: `allowed` (the workspace boundary) decides
// which generated files and map files may be read at all.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { fileUrlToPath } from './stack/lines';
import { toForwardSlashes } from './paths';

export interface MappedPosition {
  /** The source resolved against the map's location (may not exist on disk: `webpack://app/./src/x.ts`). */
  file: string;
  /** The source as the map names it (after sourceRoot), for suffix matching when `file` does not exist. */
  source: string;
  line: number;
  column?: number;
  name?: string;
}

interface Entry { mtimeMs: number; map?: TraceMap; error?: string }

const MAX_MAP_BYTES = 64 << 20;
const SCRIPT = /\.(?:[cm]?js|jsx)$/i;

export class SourceMapper {
  private readonly cache = new Map<string, Entry>();
  failures = 0;

  /** `allowed(p)`: the normalised path when `p` may be read, else undefined. */
  constructor(private readonly allowed: (p: string) => string | undefined) {}

  isCandidate(file: string): boolean {
    return SCRIPT.test(file);
  }

  /** `line` 1-based, `column` 1-based (as stack traces print them). Undefined when there is no map or no mapping. */
  map(file: string, line: number, column?: number): MappedPosition | undefined {
    const map = this.load(file);
    if (!map) return undefined;
    const pos = originalPositionFor(map, { line, column: Math.max(0, (column ?? 1) - 1) });
    if (pos.source === null || pos.line === null) return undefined;
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(pos.source) && !pos.source.startsWith('file:');
    const source = isUrl ? pos.source : toForwardSlashes(path.resolve(path.dirname(file), fileUrlToPath(pos.source)));
    return { file: source, source: pos.source, line: pos.line, column: pos.column === null ? undefined : pos.column + 1, name: pos.name ?? undefined };
  }

  private load(file: string): TraceMap | undefined {
    if (!this.allowed(file)) return undefined;
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      // No generated file on disk: nothing to map through.
      return undefined;
    }
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === st.mtimeMs) return cached.map;
    const entry: Entry = { mtimeMs: st.mtimeMs };
    try {
      entry.map = this.read(file);
    } catch (err) {
      this.failures++;
      entry.error = err instanceof Error ? err.message : String(err);
    }
    this.cache.set(file, entry);
    return entry.map;
  }

  /** Why the last load of `file` failed, for the CLI's "why not". */
  lastError(file: string): string | undefined {
    return this.cache.get(file)?.error;
  }

  private read(file: string): TraceMap | undefined {
    const text = fs.readFileSync(file, 'utf8');
    const url = lastSourceMappingUrl(text);
    if (url && url.startsWith('data:')) {
      const comma = url.indexOf(',');
      const meta = url.slice(5, comma);
      const data = url.slice(comma + 1);
      const json = meta.endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
      return new TraceMap(json, toForwardSlashes(file));
    }
    const candidates = url && !/^[a-z]+:\/\//i.test(url) ? [path.resolve(path.dirname(file), fileUrlToPath(url))] : [];
    candidates.push(`${file}.map`);
    for (const mapFile of candidates) {
      if (!this.allowed(mapFile)) continue;
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(mapFile);
      } catch {
        // Try the next candidate.
        continue;
      }
      if (!st.isFile() || st.size > MAX_MAP_BYTES) continue;
      return new TraceMap(fs.readFileSync(mapFile, 'utf8'), toForwardSlashes(mapFile));
    }
    return undefined;
  }
}

/** The last `//# sourceMappingURL=` (or `//@`) comment; only the tail of the file is searched. */
export function lastSourceMappingUrl(text: string): string | undefined {
  const tail = text.length > 4_000_000 ? text.slice(-4_000_000) : text;
  const i = Math.max(tail.lastIndexOf('//# sourceMappingURL='), tail.lastIndexOf('//@ sourceMappingURL='));
  if (i < 0) return undefined;
  const rest = tail.slice(i + 21);
  const end = rest.search(/[\s'"]/);
  const url = (end < 0 ? rest : rest.slice(0, end)).trim();
  return url || undefined;
}
