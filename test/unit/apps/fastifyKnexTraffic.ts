// Scripted traffic for the Fastify + knex + SQLite test app, and the truth it implies: every
// request knows the route template it should be counted under and the line registering it.
import { join } from 'node:path';
import { lineOf, type Request } from './appTraffic';

export const FASTIFY_KNEX = join(__dirname, '..', '..', 'apps', 'fastify-knex');

/** Each route of the app: template with its prefix → [file, the registering call's text]. */
export const FASTIFY_KNEX_ROUTES: Record<string, [string, string]> = {
  'GET /api/articles': ['routes/articles.js', "fastify.get('/',"],
  'GET /api/articles/:slug': ['routes/articles.js', "fastify.get('/:slug',"],
  'POST /api/articles': ['routes/articles.js', "fastify.post('/',"],
  'GET /api/articles/:slug/comments': ['routes/articles.js', "fastify.get('/:slug/comments',"],
  'GET /api/authors/:name': ['routes/authors.js', "fastify.get('/:name',"],
  'GET /api/authors/:name/summary': ['routes/authors.js', 'fastify.route({'],
  'GET /api/stats/activity': ['routes/stats.js', "fastify.get('/activity',"],
  'GET /api/stats/tags': ['routes/stats.js', "fastify.get('/tags',"],
};

/** The registering line of a route: absolute file and line. */
export function fastifyHandlerOf(key: string): { file: string; line: number } {
  const [file, text] = FASTIFY_KNEX_ROUTES[key];
  return { file: join(FASTIFY_KNEX, file), line: lineOf(FASTIFY_KNEX, file, text) };
}

/** A fixed mix over every route, good and bad input: 84 requests. */
export function fastifyKnexTraffic(): Request[] {
  const out: Request[] = [];
  const authors = ['ada', 'brian', 'carol', 'dmitri'];
  for (let i = 0; i < 5; i++) out.push({ method: 'GET', path: `/api/articles?limit=${10 + i}`, route: 'GET /api/articles' });
  for (let i = 0; i < 16; i++) out.push({ method: 'GET', path: `/api/articles/${i < 12 ? `article-${i}` : `gone-${i}`}`, route: 'GET /api/articles/:slug' });
  for (let i = 0; i < 10; i++) out.push({ method: 'GET', path: `/api/articles/${i < 7 ? `article-${i}` : 'missing'}/comments`, route: 'GET /api/articles/:slug/comments' });
  for (let i = 0; i < 10; i++) {
    // title too short → 400 from the schema; unknown author → 422; else 201
    const body = { title: i % 5 === 4 ? 'x' : `Post ${i}`, body: 'text', author: i % 5 === 3 ? 'zed' : authors[i % 4] };
    out.push({ method: 'POST', path: '/api/articles', body, route: 'POST /api/articles' });
  }
  for (let i = 0; i < 12; i++) out.push({ method: 'GET', path: `/api/authors/${i < 9 ? authors[i % 4] : `nobody${i}`}`, route: 'GET /api/authors/:name' });
  // dmitri has no bio: 2 of these 12 fail with a TypeError in lib/summary.js
  for (let i = 0; i < 12; i++) out.push({ method: 'GET', path: `/api/authors/${i < 10 ? authors[i % 4] : `ghost${i}`}/summary`, route: 'GET /api/authors/:name/summary' });
  for (let i = 0; i < 3; i++) out.push({ method: 'GET', path: '/api/stats/activity', route: 'GET /api/stats/activity' });
  for (let i = 0; i < 8; i++) out.push({ method: 'GET', path: '/api/stats/tags', route: 'GET /api/stats/tags' });
  return out;
}
