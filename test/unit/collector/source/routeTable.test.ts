import { strict as assert } from 'node:assert';
import { scanMounts, type FileScan } from '../../../../collector/source/mountScan';
import { RouteTable } from '../../../../collector/source/routeTable';

function table(files: Record<string, string>): RouteTable {
  const scans = new Map<string, FileScan>();
  for (const [f, text] of Object.entries(files)) scans.set(f, scanMounts(text.split('\n')));
  return new RouteTable(scans);
}
const at = (t: RouteTable, route: string, method?: string) => t.find(route, method).map((e) => `${e.file.split('/').pop()}:${e.line}`);

describe('route table (mount chains from source)', () => {
  const express = {
    '/w/app.js': [
      "const express = require('express');",
      "const api = require('./routes');",
      'const app = express();',
      "app.use('/api', api);",
      "app.get('/health', (req, res) => res.send('ok'));",
    ].join('\n'),
    '/w/routes/index.js': [
      "const router = require('express').Router();",
      "router.use('/articles', require('./articles'));",
      "router.use('/profiles', require('./profiles'));",
      'module.exports = router;',
    ].join('\n'),
    '/w/routes/articles.js': [
      "const router = require('express').Router();",
      "router.get('/', list);",
      "router.get('/:slug', (req, res) => {",
      '});',
      "router.route('/:slug/comments').get(comments).post(addComment);",
      'module.exports = router;',
    ].join('\n'),
    '/w/routes/profiles.js': [
      "import { Router } from 'express';",
      'export const profiles = Router();',
      "profiles.get('/:username', show);",
      'export default profiles;',
    ].join('\n'),
  };

  it('resolves routers in other files through nested app.use mounts', () => {
    const t = table(express);
    assert.deepEqual(at(t, '/api/articles/'), ['articles.js:2']);
    assert.deepEqual(at(t, '/api/articles'), ['articles.js:2']);
    assert.deepEqual(at(t, '/api/articles/:slug', 'GET'), ['articles.js:3']);
    assert.deepEqual(at(t, '/health'), ['app.js:5']);
  });

  it('keeps parameter names and mounts apart so :slug and :username stay different routes', () => {
    const t = table(express);
    assert.deepEqual(at(t, '/api/profiles/:username'), ['profiles.js:3']);
    assert.deepEqual(at(t, '/api/articles/:slug'), ['articles.js:3']);
  });

  it('tells methods of a route() chain apart', () => {
    const t = table(express);
    assert.deepEqual(at(t, '/api/articles/:slug/comments', 'POST'), ['articles.js:5']);
    assert.equal(t.find('/api/articles/:slug/comments', 'POST')[0].method, 'POST');
  });

  it('does not invent a route that is not mounted at that path', () => {
    const t = table(express);
    assert.deepEqual(at(t, '/articles/:slug'), []);
  });

  it('follows Fastify register prefixes into plugin files', () => {
    const t = table({
      '/f/server.ts': [
        "import Fastify from 'fastify';",
        "import users from './users';",
        'const app = Fastify();',
        "app.register(users, { prefix: '/v1/users' });",
      ].join('\n'),
      '/f/users.ts': [
        'export default async function (fastify, opts) {',
        "  fastify.get('/:id', async () => ({}));",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(at(t, '/v1/users/:id', 'GET'), ['users.ts:2']);
  });

  it('applies Koa router prefixes and router.use(prefix, other.routes())', () => {
    const t = table({
      '/k/app.js': [
        "const Router = require('@koa/router');",
        "const api = new Router({ prefix: '/api' });",
        "const { orders } = require('./orders');",
        "api.use('/orders', orders.routes());",
      ].join('\n'),
      '/k/orders.js': [
        "const Router = require('@koa/router');",
        'const orders = new Router();',
        "orders.get('/:orderId', show);",
        'module.exports = { orders };',
      ].join('\n'),
    });
    assert.deepEqual(at(t, '/api/orders/:orderId'), ['orders.js:3']);
  });

  it('joins the NestJS global prefix, the controller path and the method decorator', () => {
    const t = table({
      '/n/main.ts': ["const app = await NestFactory.create(AppModule);", "app.setGlobalPrefix('api');"].join('\n'),
      '/n/articles.controller.ts': [
        "@Controller('articles')",
        'export class ArticlesController {',
        "  @Get(':slug')",
        '  find(@Param("slug") slug: string) {}',
        '  @Get()',
        '  list() {}',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(at(t, '/api/articles/:slug', 'GET'), ['articles.controller.ts:3']);
    assert.deepEqual(at(t, '/api/articles', 'GET'), ['articles.controller.ts:5']);
  });

  it('reads route and mount calls broken over several lines, at the line the call starts', () => {
    const t = table({
      '/m/app.js': [
        "const express = require('express');",
        "const articles = require('./articles');",
        'const app = express();',
        'app.use(',
        "  '/api/articles',",
        '  articles,',
        ');',
      ].join('\n'),
      '/m/articles.js': [
        "const router = require('express').Router();",
        'router.get(',
        "  '/:slug',",
        '  asyncHandler(async (req, res) => {',
        "    const other = await client.get('/internal/x');",
        '  }),',
        ');',
        "router.post('/',",
        '  create);',
        'module.exports = router;',
      ].join('\n'),
    });
    assert.deepEqual(at(t, '/api/articles/:slug', 'GET'), ['articles.js:2']);
    assert.deepEqual(at(t, '/api/articles', 'POST'), ['articles.js:8']);
    // The call inside the handler is not a route of the router.
    assert.deepEqual(at(t, '/api/articles/internal/x'), []);
  });
});
