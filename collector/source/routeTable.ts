// The workspace's route table: every route a JS/TS app declares, with the full path it is
// served at, resolved through its mount chain (`app.use('/api/articles', router)` in one file,
// `router.get('/:slug', …)` in another; Fastify `register(plugin, { prefix })`; Koa router
// prefixes and `router.use`; NestJS global prefix + `@Controller` + method decorator).
// Templates keep their parameter names, so `/api/articles/:slug` and `/api/profiles/:username`
// stay different. Input: per-file scans (mountScan.ts), cached by the caller per file mtime.
import { normaliseRoute } from './routes';
import type { FileScan } from './mountScan';

export interface RouteEntry {
  method?: string;
  /** Full template as declared, parameter names kept: `/api/articles/:slug`. */
  template: string;
  file: string;
  line: number;
  column: number;
}

const MAX_DEPTH = 12;
const EXTENSIONS = ['', '.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '.tsx', '.jsx', '/index.ts', '/index.js', '/index.mjs'];

/** The exact key a span's `http.route` is compared with: slashes collapsed, no trailing slash. */
export function templateKey(route: string): string {
  let r = route.trim().replace(/[?#].*$/, '');
  if (!r.startsWith('/')) r = `/${r}`;
  r = r.replace(/\/{2,}/g, '/');
  if (r.length > 1 && r.endsWith('/')) r = r.slice(0, -1);
  return r;
}

export function joinPath(...parts: string[]): string {
  return templateKey(parts.filter((p) => p && p !== '/').map((p) => p.replace(/^\/+|\/+$/g, '')).join('/'));
}

export class RouteTable {
  private readonly exact = new Map<string, RouteEntry[]>();
  private readonly loose = new Map<string, RouteEntry[]>();
  readonly entries: RouteEntry[] = [];

  /** `scans`: absolute file path (forward slashes) → its scan. */
  constructor(scans: Map<string, FileScan>) {
    for (const e of resolveRoutes(scans)) {
      this.entries.push(e);
      push(this.exact, templateKey(e.template), e);
      push(this.loose, normaliseRoute(e.template), e);
    }
  }

  /** Entries serving `route` (exact template first, then the same shape with other parameter
   *  names), narrowed to `method` when that leaves any. */
  find(route: string, method?: string): RouteEntry[] {
    let hits = this.exact.get(templateKey(route)) ?? this.loose.get(normaliseRoute(route)) ?? [];
    const m = method?.toUpperCase();
    if (m && hits.length > 1) {
      const same = hits.filter((h) => h.method === m);
      const any = hits.filter((h) => h.method === m || h.method === undefined);
      hits = same.length ? same : any.length ? any : hits;
    }
    // One declaration found through two mount paths is still one place.
    const seen = new Set<string>();
    return hits.filter((h) => !seen.has(`${h.file}:${h.line}:${h.method}`) && seen.add(`${h.file}:${h.line}:${h.method}`));
  }
}

function push(map: Map<string, RouteEntry[]>, key: string, e: RouteEntry): void {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

interface Edge { parent: string; prefix: string }

export function resolveRoutes(scans: Map<string, FileScan>): RouteEntry[] {
  const incoming = new Map<string, Edge[]>();
  const ownPrefix = new Map<string, string>();
  let globalPrefix = '';
  for (const [file, scan] of scans) {
    if (scan.globalPrefix !== undefined) globalPrefix = scan.globalPrefix;
    for (const [name, prefix] of scan.routers) ownPrefix.set(node(file, name), prefix);
    for (const m of scan.mounts) {
      const child = resolveChild(file, m.child, scans);
      if (!child) continue;
      const parent = node(file, ownerOf(scan, m.owner));
      const list = incoming.get(child) ?? [];
      list.push({ parent, prefix: m.prefix });
      incoming.set(child, list);
    }
  }
  const memo = new Map<string, string[]>();
  const prefixes = (n: string, depth: number): string[] => {
    const hit = memo.get(n);
    if (hit) return hit;
    const own = ownPrefix.get(n) ?? '';
    const edges = incoming.get(n);
    let out: string[];
    if (!edges || depth > MAX_DEPTH) out = [own];
    else out = edges.flatMap((e) => prefixes(e.parent, depth + 1).map((p) => joinPath(p, e.prefix, own)));
    out = [...new Set(out)].slice(0, 16);
    memo.set(n, out);
    return out;
  };
  const entries: RouteEntry[] = [];
  for (const [file, scan] of scans) {
    for (const r of scan.routes) {
      const base = { method: r.method, file, line: r.line, column: r.column };
      if (r.owner === '@nest') {
        entries.push({ ...base, template: joinPath(globalPrefix, scan.nestController ?? '', r.path) });
        continue;
      }
      for (const p of prefixes(node(file, ownerOf(scan, r.owner)), 0)) entries.push({ ...base, template: joinPath(p, r.path) });
    }
  }
  return entries;
}

/** Routes declared on a function parameter (`fastify.get` inside an exported plugin) belong to the plugin. */
function ownerOf(scan: FileScan, owner: string): string {
  if (scan.routers.has(owner)) return owner;
  if (scan.exports.get('default') === '@plugin') return '@plugin';
  return owner;
}

function node(file: string, name: string): string {
  return `${file}::${name}`;
}

function resolveChild(file: string, ref: string, scans: Map<string, FileScan>): string | undefined {
  if (!ref.startsWith('import:')) return node(file, ref);
  const [spec, name] = ref.slice('import:'.length).split('#');
  const target = resolveImport(file, spec, scans);
  if (!target) return undefined;
  const scan = scans.get(target)!;
  const local = scan.exports.get(name) ?? (name === 'default' ? undefined : name);
  if (local) return node(target, local);
  // `module.exports = { router }` and friends: a file with one router exports that one.
  if (scan.routers.size === 1) return node(target, [...scan.routers.keys()][0]);
  return undefined;
}

function resolveImport(from: string, spec: string, scans: Map<string, FileScan>): string | undefined {
  const dir = from.slice(0, from.lastIndexOf('/'));
  const base = normalisePath(`${dir}/${spec}`);
  const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
  for (const candidate of [base, ...EXTENSIONS.map((e) => stem + e)]) if (scans.has(candidate)) return candidate;
  return undefined;
}

function normalisePath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return `${p.startsWith('/') ? '/' : ''}${out.join('/')}`;
}
