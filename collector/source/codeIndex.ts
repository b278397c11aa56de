// Per-workspace index of SQL string literals and HTTP route definitions, built lazily from
// the workspace file index on the first query lookup and reused afterwards, so repeated
// lookups are map reads. Files are read once per build; refresh() or fileChanged() re-read.
import * as fs from 'node:fs';
import type { WorkspaceIndex } from './workspaceIndex';
import { sqlLiterals } from './literals';
import { sqlMatchKey } from '../text/sql';
import { normaliseRoute, routeDefinitions } from './routes';
import { scanMounts, type FileScan } from './mountScan';
import { RouteTable } from './routeTable';

const CODE_EXT = /\.(?:[cm]?[jt]sx?|py|java|kt|kts|scala|groovy|go|cs|vb|fs|rb|php|rs|ex|exs|sql)$/i;
const MAX_FILE_BYTES = 1 << 20;
const ROUTE_LINE = 512;
const JS_EXT = /\.(?:[cm]?[jt]sx?)$/i;

export interface CodeHit {
  file: string;
  line: number;
  column: number;
  method?: string;
}

export class CodeIndex {
  private sql?: Map<string, CodeHit[]>;
  private sqlKeys: string[] = [];
  private routes?: Map<string, CodeHit[]>;
  /** Mount-chain scans of JS/TS files, kept per file with its mtime across rebuilds. */
  private readonly scans = new Map<string, { mtimeMs: number; scan: FileScan }>();
  private table?: RouteTable;
  /** Which keys each file contributed, so one file can be re-indexed without a rebuild. */
  private readonly byFile = new Map<string, { sql: string[]; routes: string[] }>();
  builds = 0;
  unreadable = 0;

  constructor(private readonly files: WorkspaceIndex) {}

  refresh(): void {
    this.sql = undefined;
    this.routes = undefined;
    this.table = undefined;
    this.byFile.clear();
  }

  /** A file was created, changed or deleted: re-read just that file (no-op before the first build). */
  fileChanged(abs: string): void {
    if (!this.sql || !this.routes) return;
    this.scans.delete(abs);
    this.table = undefined;
    const old = this.byFile.get(abs);
    if (old) {
      for (const k of old.sql) drop(this.sql, k, abs);
      for (const k of old.routes) drop(this.routes, k, abs);
      this.byFile.delete(abs);
    }
    if (CODE_EXT.test(abs) && this.files.relative(abs) !== undefined) {
      const text = this.read(abs);
      if (text !== undefined) this.indexFile(abs, text);
    }
    this.sqlKeys = [...this.sql.keys()];
  }

  findSql(statement: string): { hits: CodeHit[]; exact: boolean } {
    this.ensure();
    const key = sqlMatchKey(statement);
    if (!key) return { hits: [], exact: false };
    const exact = this.sql!.get(key);
    if (exact) return { hits: exact, exact: true };
    // Statements cut by the SDK, or literals completed at runtime (`… WHERE ` + clause):
    // accept a containment either way when the shorter side is long enough to mean something.
    const hits: CodeHit[] = [];
    for (const k of this.sqlKeys) {
      const shorter = Math.min(k.length, key.length);
      if (shorter >= 24 && (k.startsWith(key) || key.startsWith(k))) hits.push(...this.sql!.get(k)!);
    }
    return { hits, exact: false };
  }

  findRoute(route: string, method?: string): { hits: CodeHit[]; exact: boolean } {
    this.ensure();
    const full = this.routeTable().find(route, method);
    if (full.length) return { hits: full.map((e) => ({ file: e.file, line: e.line, column: e.column, method: e.method })), exact: true };
    const key = normaliseRoute(route);
    let hits = this.routes!.get(key) ?? [];
    let exact = hits.length > 0;
    if (!exact) {
      // Routers mounted under a prefix (`app.use('/api', router)`) define only the tail.
      let bestLen = 0;
      for (const [k, list] of this.routes!) {
        if (k.length > 1 && key.endsWith(k) && key[key.length - k.length - 1] !== undefined && k.length >= bestLen) {
          if (k.length > bestLen) { hits = []; bestLen = k.length; }
          hits = hits.concat(list);
        }
      }
    }
    const m = method?.toUpperCase();
    if (m && hits.length > 1) {
      const same = hits.filter((h) => h.method === m || h.method === undefined);
      if (same.length) hits = same;
    }
    return { hits, exact };
  }

  /** Full routes through their mount chains, rebuilt after a JS/TS file changed. */
  routeTable(): RouteTable {
    this.ensure();
    if (!this.table) {
      const scans = new Map<string, FileScan>();
      for (const [file, v] of this.scans) scans.set(file, v.scan);
      this.table = new RouteTable(scans);
    }
    return this.table;
  }

  private ensure(): void {
    if (this.sql && this.routes) return;
    this.builds++;
    this.sql = new Map();
    this.routes = new Map();
    const root = this.files.root;
    const present = new Set<string>();
    for (const rel of this.files.sources().all()) {
      if (!CODE_EXT.test(rel)) continue;
      const abs = `${root}/${rel}`;
      present.add(abs);
      const text = this.read(abs);
      if (text !== undefined) this.indexFile(abs, text);
    }
    this.sqlKeys = [...this.sql.keys()];
    for (const f of this.scans.keys()) if (!present.has(f)) this.scans.delete(f);
    this.table = undefined;
  }

  private read(abs: string): string | undefined {
    try {
      const st = fs.statSync(abs);
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      return fs.readFileSync(abs, 'utf8');
    } catch (err) {
      // Deleted or unreadable since the index was built: counted, skipped.
      this.unreadable++;
      void err;
      return undefined;
    }
  }

  private scanFile(abs: string, lines: string[]): void {
    const mtimeMs = mtimeOf(abs);
    const old = this.scans.get(abs);
    if (old && old.mtimeMs === mtimeMs && mtimeMs >= 0) return;
    const scan = scanMounts(lines);
    if (scan.routes.length || scan.mounts.length || scan.routers.size || scan.globalPrefix !== undefined) this.scans.set(abs, { mtimeMs, scan });
    else this.scans.delete(abs);
    this.table = undefined;
  }

  private indexFile(abs: string, text: string): void {
    // Minified or generated files (very long lines on average) are not where anyone edits code.
    const lineCount = 1 + (text.match(/\n/g)?.length ?? 0);
    if (text.length / lineCount > 1000) return;
    const keys = { sql: [] as string[], routes: [] as string[] };
    for (const lit of sqlLiterals(text)) {
      const key = sqlMatchKey(lit.text);
      if (!key) continue;
      add(this.sql!, key, { file: abs, line: lit.line, column: lit.column });
      keys.sql.push(key);
    }
    const lines = text.split('\n').map((l) => (l.length > ROUTE_LINE ? l.slice(0, ROUTE_LINE) : l));
    if (JS_EXT.test(abs)) this.scanFile(abs, lines);
    for (const r of routeDefinitions(lines)) {
      add(this.routes!, r.key, { file: abs, line: r.line, column: r.column, method: r.method });
      keys.routes.push(r.key);
    }
    if (keys.sql.length || keys.routes.length) this.byFile.set(abs, keys);
  }
}

// Kept outside the class body for size: a scan is reused while the file's mtime is unchanged.
function mtimeOf(abs: string): number {
  try {
    return fs.statSync(abs).mtimeMs;
  } catch {
    // Gone since it was read: a fresh scan next time.
    return -1;
  }
}

function drop(map: Map<string, CodeHit[]>, key: string, file: string): void {
  const list = map.get(key);
  if (!list) return;
  const kept = list.filter((h) => h.file !== file);
  if (kept.length) map.set(key, kept);
  else map.delete(key);
}

function add(map: Map<string, CodeHit[]>, key: string, hit: CodeHit): void {
  const list = map.get(key);
  if (list) list.push(hit);
  else map.set(key, [hit]);
}

export { normaliseRoute, sqlMatchKey };
