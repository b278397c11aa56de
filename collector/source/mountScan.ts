// Syntax-level scan of one JS/TS file for what a route table needs: router objects
// (`express()`, `express.Router()`, `new Router({ prefix })`, `fastify()`), route calls
// (`router.get('/x', …)`, `router.route('/x').get(…)`), mounts (`app.use('/api', router)`,
// `fastify.register(plugin, { prefix: '/api' })`, `router.use('/x', other.routes())`),
// imports (`require('./x')`, `import x from './x'`), exports (`module.exports = router`,
// `export default router`), NestJS `@Controller('x')` + `@Get(':id')` and `setGlobalPrefix`.
// Not a parser: strings and comments are matched by regexes on single statements, which is
// enough for the way people write route files; what it cannot read it leaves out.

export interface ScannedRoute {
  /** Receiver variable (`router`), or `@nest` for Nest controller methods. */
  owner: string;
  method?: string;
  path: string;
  line: number;
  column: number;
}

export interface ScannedMount {
  owner: string;
  prefix: string;
  /** A local variable, or an import (`import:./routes/articles#default`). */
  child: string;
  line: number;
}

export interface FileScan {
  routes: ScannedRoute[];
  mounts: ScannedMount[];
  /** Local name → import spec (`./x` + `#default` or `#name`). */
  imports: Map<string, string>;
  /** Exported name (`default`, or a named export) → local variable. */
  exports: Map<string, string>;
  /** Variables created as routers/apps, with a prefix of their own (Koa `new Router({ prefix })`). */
  routers: Map<string, string>;
  /** `app.setGlobalPrefix('api')` (NestJS). */
  globalPrefix?: string;
  /** `@Controller('articles')` prefix when the file declares a Nest controller. */
  nestController?: string;
}

const VERBS = 'get|post|put|patch|delete|del|all|head|options';
const ROUTE_CALL = new RegExp(String.raw`\b([A-Za-z_$][\w$]*)\s*\.\s*(${VERBS})\s*\(\s*(['"\`])(\/[^'"\`]{0,300}|\*)\3`, 'g');
const ROUTE_CHAIN = new RegExp(String.raw`\b([A-Za-z_$][\w$]*)\s*\.\s*route\s*\(\s*(['"\`])(\/[^'"\`]{0,300})\2\s*\)((?:\s*\.\s*(?:${VERBS})\s*\([^)]{0,300}\)?)+)`, 'g');
const CHAIN_VERB = new RegExp(String.raw`\.\s*(${VERBS})\s*\(`, 'g');
const USE_CALL = /\b([A-Za-z_$][\w$]*)\s*\.\s*use\s*\(\s*(['"`])(\/[^'"`]{0,300})\2\s*,\s*([^;]{1,400})/g;
const REGISTER_CALL = /\b([A-Za-z_$][\w$]*)\s*\.\s*register\s*\(\s*([^,()]{1,200}?|require\(\s*['"][^'"]+['"]\s*\))\s*,\s*\{[^}]{0,300}?\bprefix\s*:\s*(['"`])([^'"`]{0,300})\3/g;
const ROUTER_DECL = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]{1,80})?=\s*(?:new\s+)?(?:express\s*\(\s*\)|(?:express\s*\.\s*)?Router\s*\(([^)]{0,300})\)|(?:Fastify|fastify|Koa|koa|Hono|express)\s*\([^)]{0,200}\))/g;
const REQUIRE = /\b(?:const|let|var)\s+(?:([A-Za-z_$][\w$]*)|\{([^}]{1,300})\})\s*=\s*require\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)(\s*\.\s*[A-Za-z_$][\w$]*)?/g;
const IMPORT = /\bimport\s+(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]{1,300})\}|\*\s+as\s+([A-Za-z_$][\w$]*))?\s*from\s*['"](\.{1,2}\/[^'"]+)['"]/g;
const EXPORT_DEFAULT = /\b(?:module\.exports|exports\.default)\s*=\s*([A-Za-z_$][\w$]*)\s*;?\s*$|\bexport\s+default\s+([A-Za-z_$][\w$]*)\s*;?\s*$/;
const EXPORT_NAMED = /\bexport\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)|\b(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)/;
const EXPORT_FN = /\b(?:module\.exports\s*=|export\s+default)\s*(?:async\s+)?(?:function\b|\()/;
const NEST_CONTROLLER = /@Controller\s*\(\s*(?:['"`]([^'"`]{0,300})['"`]|\{[^}]*?path\s*:\s*['"`]([^'"`]{0,300})['"`][^}]*\})?\s*\)/;
const NEST_METHOD = /@(Get|Post|Put|Patch|Delete|All|Head|Options)\s*\(\s*(?:['"`]([^'"`]{0,300})['"`])?\s*\)/g;
const GLOBAL_PREFIX = /\.setGlobalPrefix\s*\(\s*['"`]([^'"`]{0,200})['"`]/;
const PREFIX_OPT = /\bprefix\s*:\s*['"`]([^'"`]{0,300})['"`]/;
/** A route or mount call whose arguments continue on the next lines (formatters break long
 *  calls so): `app.use(` or `router.get(` at the end of the line, or the path alone on it. */
const OPEN_CALL = new RegExp(String.raw`\.\s*(?:use|register|route|${VERBS})\s*\(\s*(?:(['"\`])\/[^'"\`]{0,300}\1\s*,?\s*)?$`);
const CONTINUATION_LINES = 3;

/** `lines` are already cut to a bounded length by the caller. */
export function scanMounts(lines: string[]): FileScan {
  const scan: FileScan = { routes: [], mounts: [], imports: new Map(), exports: new Map(), routers: new Map() };
  for (let i = 0; i < lines.length; i++) {
    const text = stripLineComment(lines[i]);
    if (!text.trim()) continue;
    for (const m of text.matchAll(ROUTER_DECL)) scan.routers.set(m[1], PREFIX_OPT.exec(m[2] ?? '')?.[1] ?? '');
    for (const m of text.matchAll(REQUIRE)) {
      const member = m[4]?.replace(/[\s.]/g, '');
      if (m[1]) scan.imports.set(m[1], `${m[3]}#${member ?? 'default'}`);
      else for (const [local, name] of namedBindings(m[2])) scan.imports.set(local, `${m[3]}#${name}`);
    }
    for (const m of text.matchAll(IMPORT)) {
      if (m[1]) scan.imports.set(m[1], `${m[4]}#default`);
      if (m[2]) for (const [local, name] of namedBindings(m[2])) scan.imports.set(local, `${m[4]}#${name}`);
      if (m[3]) scan.imports.set(m[3], `${m[4]}#default`);
    }
    const ed = EXPORT_DEFAULT.exec(text);
    if (ed) scan.exports.set('default', ed[1] ?? ed[2]);
    else if (EXPORT_FN.test(text)) scan.exports.set('default', '@plugin');
    const en = EXPORT_NAMED.exec(text);
    if (en) scan.exports.set(en[1] ?? en[2], en[1] ?? en[3]);
    const call = OPEN_CALL.test(text) ? joinContinuation(lines, i) : text;
    for (const m of call.matchAll(ROUTE_CALL)) {
      const verb = m[2].toUpperCase();
      scan.routes.push({ owner: m[1], method: verb === 'ALL' ? undefined : verb === 'DEL' ? 'DELETE' : verb, path: m[4], line: i + 1, column: (m.index ?? 0) + 1 });
    }
    for (const m of call.matchAll(ROUTE_CHAIN)) {
      for (const v of m[4].matchAll(CHAIN_VERB)) {
        const verb = v[1].toUpperCase();
        scan.routes.push({ owner: m[1], method: verb === 'ALL' ? undefined : verb === 'DEL' ? 'DELETE' : verb, path: m[3], line: i + 1, column: (m.index ?? 0) + 1 });
      }
    }
    for (const m of call.matchAll(USE_CALL)) {
      for (const child of mountedChildren(m[4], scan.imports)) scan.mounts.push({ owner: m[1], prefix: m[3], child, line: i + 1 });
    }
    for (const m of call.matchAll(REGISTER_CALL)) {
      const child = childRef(m[2].trim(), scan.imports);
      if (child) scan.mounts.push({ owner: m[1], prefix: m[4], child, line: i + 1 });
    }
    const gp = GLOBAL_PREFIX.exec(text);
    if (gp) scan.globalPrefix = gp[1];
    const nc = NEST_CONTROLLER.exec(text);
    if (nc) scan.nestController = nc[1] ?? nc[2] ?? '';
    if (scan.nestController !== undefined) {
      for (const m of text.matchAll(NEST_METHOD)) {
        const verb = m[1].toUpperCase();
        scan.routes.push({ owner: '@nest', method: verb === 'ALL' ? undefined : verb, path: m[2] ?? '', line: i + 1, column: (m.index ?? 0) + 1 });
      }
    }
  }
  return scan;
}

/** The routers in the rest of a `use(prefix, …)` call: identifiers, `x.routes()`, `require('./x')`. */
function mountedChildren(rest: string, imports: Map<string, string>): string[] {
  const out: string[] = [];
  const req = /require\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const m of rest.matchAll(req)) out.push(`import:${m[1]}#default`);
  if (out.length) return out;
  for (const m of rest.matchAll(/([A-Za-z_$][\w$]*)(?:\s*\.\s*routes\s*\(\s*\))?/g)) {
    const ref = childRef(m[1], imports);
    if (ref) out.push(ref);
  }
  return out;
}

function childRef(expr: string, imports: Map<string, string>): string | undefined {
  const req = /^require\(\s*['"]([^'"]+)['"]\s*\)$/.exec(expr);
  if (req) return `import:${req[1]}#default`;
  if (!/^[A-Za-z_$][\w$]*$/.test(expr) || ['async', 'function', 'req', 'res', 'next', 'ctx'].includes(expr)) return undefined;
  const imp = imports.get(expr);
  return imp ? `import:${imp}` : expr;
}

function namedBindings(list: string): [string, string][] {
  return list.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const [name, local] = p.split(/\s+as\s+|\s*:\s*/);
    return [(local ?? name).trim(), name.trim()];
  });
}

/** Line `i` with the next few lines appended (trimmed), for a call broken over lines; the
 *  matches keep line `i` (where the call starts). */
function joinContinuation(lines: string[], i: number): string {
  let text = stripLineComment(lines[i]).trimEnd();
  for (let j = i + 1; j < lines.length && j <= i + CONTINUATION_LINES; j++) {
    text += ' ' + stripLineComment(lines[j]).trim();
    if (/[)]/.test(lines[j]) || /=>|\bfunction\b|\{\s*$/.test(lines[j])) break;
  }
  return text;
}

function stripLineComment(line: string): string {
  const t = line.trimStart();
  return t.startsWith('//') || t.startsWith('*') || t.startsWith('#') ? '' : line;
}
