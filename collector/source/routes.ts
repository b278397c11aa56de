// HTTP route definitions in source: Express/Fastify/Koa/Hono (`app.get('/users/:id'`),
// FastAPI (`@app.get("/users/{id}")`), Flask (`@app.route("/users/<id>")`), Spring
// (`@GetMapping("/users/{id}")`, class-level `@RequestMapping` prefix), ASP.NET
// (`[HttpGet("users/{id}")]`), Go (`HandleFunc("/users/", …)`, `r.GET("/users/:id"`).
// Route templates are normalised so `/users/:id`, `/users/{id}`, `/users/<int:id>` compare equal.

export interface FoundRoute {
  line: number;
  column: number;
  method?: string;
  route: string;
  /** Normalised template. */
  key: string;
}

const METHOD_CALL = /\b\w+\.(get|post|put|patch|delete|del|all|head|options|route|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|HandleFunc|Handle|handle|add_api_route|api_route|websocket)\s*\(\s*(?:r?['"`])([^'"`\s]{1,300})['"`]/g;
/** Go 1.22 ServeMux patterns carry the method: `mux.HandleFunc("GET /users/{id}", h)`. */
const GO_PATTERN = /\b(?:HandleFunc|Handle)\s*\(\s*"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[^"\s]{0,300})"/g;
const BARE_HANDLE = /\b(?:HandleFunc|Handle)\s*\(\s*"([^"\s]{1,300})"/g;
const SPRING = /@(Get|Post|Put|Patch|Delete|Request)Mapping\s*\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]{0,300})"/g;
const ASPNET = /\[(?:Http(Get|Post|Put|Patch|Delete)|Route)\s*\(\s*"([^"]{0,300})"/g;
const ASPNET_BARE = /\[Http(Get|Post|Put|Patch|Delete)\]/g;
const CLASS_NAME = /\bclass\s+(\w+)/;

export function normaliseRoute(route: string): string {
  let r = route.trim();
  const q = r.search(/[?#]/);
  if (q >= 0) r = r.slice(0, q);
  r = r.replace(/^\^|\$$/g, '');
  r = r.replace(/\{[^}/]{1,100}\}|<[^>/]{1,100}>|:[A-Za-z_]\w*\??|\[[^\]/]{1,100}\]|\*\w*/g, '{}');
  if (!r.startsWith('/')) r = `/${r}`;
  r = r.replace(/\/{2,}/g, '/');
  if (r.length > 1 && r.endsWith('/')) r = r.slice(0, -1);
  return r;
}

/** `lines` are already cut to a bounded length by the caller. */
export function routeDefinitions(lines: string[]): FoundRoute[] {
  const out: FoundRoute[] = [];
  // Class-level prefixes: Spring `@RequestMapping("/api")` and ASP.NET `[Route("api/[controller]")]`
  // written above the class declaration apply to every method mapping below it.
  let springPrefix = '';
  let aspPrefix = '';
  let sawClass = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const cls = CLASS_NAME.exec(text);
    if (cls) {
      sawClass = true;
      aspPrefix = aspPrefix.replace(/\[controller\]/gi, cls[1].replace(/Controller$/, ''));
    }
    if (!text.includes('(') && !text.includes('[Http')) continue;
    // Every route literal starts with `/` (or `^/`) right after its quote: a cheap gate before the regex.
    const quotedSlash = /['"`]\^?\//.test(text);
    for (const m of quotedSlash ? text.matchAll(METHOD_CALL) : []) {
      const verb = m[1].toUpperCase();
      const method = ['ROUTE', 'ALL', 'HANDLEFUNC', 'HANDLE', 'ADD_API_ROUTE', 'API_ROUTE', 'WEBSOCKET'].includes(verb) ? undefined : verb === 'DEL' ? 'DELETE' : verb;
      if (!/^[/^]/.test(m[2]) && !m[2].startsWith('*')) continue;
      push(out, i, m.index ?? 0, method, m[2]);
    }
    for (const m of text.matchAll(GO_PATTERN)) push(out, i, m.index ?? 0, m[1], m[2]);
    if (!/\.\w+\s*\(/.test(text)) {
      for (const m of text.matchAll(BARE_HANDLE)) push(out, i, m.index ?? 0, undefined, m[1]);
    }
    for (const m of text.matchAll(SPRING)) {
      const method = m[1] === 'Request' ? undefined : m[1].toUpperCase();
      // A @RequestMapping before the class declaration is the prefix of every method mapping.
      if (m[1] === 'Request' && !sawClass) { springPrefix = m[2]; continue; }
      push(out, i, m.index ?? 0, method, joinRoute(springPrefix, m[2]));
    }
    for (const m of text.matchAll(ASPNET)) {
      if (!m[1] && !sawClass) { aspPrefix = m[2]; continue; }
      // `~/x` and `/x` ignore the controller prefix.
      const absolute = m[2].startsWith('/') || m[2].startsWith('~/');
      push(out, i, m.index ?? 0, m[1]?.toUpperCase(), absolute ? m[2].replace(/^~/, '') : joinRoute(aspPrefix, m[2]));
    }
    for (const m of text.matchAll(ASPNET_BARE)) push(out, i, m.index ?? 0, m[1].toUpperCase(), aspPrefix || '/');
  }
  return out;
}

function push(out: FoundRoute[], i: number, index: number, method: string | undefined, route: string): void {
  out.push({ line: i + 1, column: index + 1, method, route, key: normaliseRoute(route) });
}

function joinRoute(prefix: string, route: string): string {
  if (!prefix) return route;
  return `${prefix.replace(/\/$/, '')}/${route.replace(/^\//, '')}`;
}
