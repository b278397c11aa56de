// Scripted traffic for the realistic test apps, and the truth it implies: every request knows
// the route template it should be counted under. Shared by the plain-SDK and the register tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** The route template with its mount path, as the app declares it. */
  route: string;
}

export const EXPRESS_SEQUELIZE = join(__dirname, '..', '..', 'apps', 'express-sequelize');

/** Each route of the express-sequelize app: template → [file, the declaring call's text]. */
export const EXPRESS_SEQUELIZE_ROUTES: Record<string, [string, string]> = {
  'GET /api/articles': ['routes/articles.js', "router.get('/',"],
  'GET /api/articles/feed': ['routes/articles.js', "router.get('/feed',"],
  'GET /api/articles/:slug': ['routes/articles.js', "router.get('/:slug',"],
  'POST /api/articles': ['routes/articles.js', "router.post('/',"],
  'GET /api/articles/:slug/comments': ['routes/articles.js', "router.get('/:slug/comments',"],
  'GET /api/profiles/:username': ['routes/profiles.js', "router.get('/:username',"],
  'GET /api/profiles/:username/boom': ['routes/profiles.js', "router.get('/:username/boom',"],
  'GET /api/tags': ['routes/tags.js', "router.get('/',"],
  'POST /api/users/login': ['routes/users.js', "router.post('/login',"],
  'POST /api/users': ['routes/users.js', "router.post('/',"],
};

/** The 1-based line of `text` in `file` of the app (found in the source, not hard-coded). */
export function lineOf(appDir: string, file: string, text: string): number {
  const i = readFileSync(join(appDir, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not found in ${file}`);
  return i + 1;
}

/** The handler location of a route: absolute file and line. */
export function handlerOf(appDir: string, key: string): { file: string; line: number } {
  const [file, text] = EXPRESS_SEQUELIZE_ROUTES[key];
  return { file: join(appDir, file), line: lineOf(appDir, file, text) };
}

/** A fixed mix over every route, good and bad input: 10 kinds of request, 100 in all. */
export function expressSequelizeTraffic(): Request[] {
  const out: Request[] = [];
  const users = ['ada', 'brian', 'carol', 'dmitri'];
  for (let i = 0; i < 6; i++) out.push({ method: 'GET', path: `/api/articles?limit=${12 + i}`, route: 'GET /api/articles' });
  for (let i = 0; i < 4; i++) out.push({ method: 'GET', path: '/api/articles/feed', route: 'GET /api/articles/feed' });
  for (let i = 0; i < 20; i++) out.push({ method: 'GET', path: `/api/articles/article-${i < 15 ? i : 100 + i}`, route: 'GET /api/articles/:slug' });
  for (let i = 0; i < 10; i++) out.push({ method: 'GET', path: `/api/articles/article-${i < 8 ? i : 'gone'}/comments`, route: 'GET /api/articles/:slug/comments' });
  for (let i = 0; i < 12; i++) out.push({ method: 'GET', path: `/api/profiles/${i < 9 ? users[i % 4] : 'nobody' + i}`, route: 'GET /api/profiles/:username' });
  for (let i = 0; i < 10; i++) out.push({ method: 'GET', path: `/api/profiles/${i < 5 ? users[i % 4] : 'ghost' + i}/boom`, route: 'GET /api/profiles/:username/boom' });
  for (let i = 0; i < 8; i++) out.push({ method: 'GET', path: '/api/tags', route: 'GET /api/tags' });
  for (let i = 0; i < 14; i++) {
    const u = users[i % 4];
    out.push({ method: 'POST', path: '/api/users/login', body: { user: { email: `${u}@example.test`, password: i % 2 ? `${u}-secret` : 'wrong' } }, route: 'POST /api/users/login' });
  }
  for (let i = 0; i < 8; i++) {
    out.push({ method: 'POST', path: '/api/articles', body: { article: { title: i % 4 === 3 ? 'x' : `Post ${i}`, body: 'text', author: users[i % 4] } }, route: 'POST /api/articles' });
  }
  for (let i = 0; i < 8; i++) {
    out.push({ method: 'POST', path: '/api/users', body: { user: { username: `new${i}`, email: i % 2 ? `new${i}@example.test` : 'not-an-email', password: 'pw' } }, route: 'POST /api/users' });
  }
  return out;
}

/** Sends the requests, `concurrency` at a time (so handlers in different files interleave). */
export async function sendTraffic(port: number, requests: Request[], concurrency = 4): Promise<number[]> {
  const statuses: number[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i];
      const res = await fetch(`http://127.0.0.1:${port}${r.path}`, {
        method: r.method,
        headers: r.body ? { 'content-type': 'application/json' } : {},
        body: r.body ? JSON.stringify(r.body) : undefined,
      });
      await res.text();
      statuses[i] = res.status;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}
