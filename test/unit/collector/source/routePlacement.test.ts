// The Locator and trace placement on a workspace of Express routers mounted from other files,
// with spans as a plain OpenTelemetry SDK sends them (no code.*): the server span and express's
// request-handler span at the handler, the query issued from it.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Locator } from '../../../../collector/source/locator';
import { TracePlacement } from '../../../../collector/source/tracePlacement';
import { SpanKind, emptyBatch, type Span } from '../../../../collector/model/types';
import { tempWorkspace, type TempWorkspace } from './tempWorkspace';

const FILES = {
  'app.js': "const express = require('express');\nconst app = express();\napp.use('/api/articles', require('./routes/articles'));\napp.use('/api/profiles', require('./routes/profiles'));\n",
  'routes/articles.js': "const router = require('express').Router();\nrouter.get('/', list);\nrouter.get('/:slug', show);\nmodule.exports = router;\n",
  'routes/profiles.js': "const router = require('express').Router();\nrouter.get('/:username', show);\nmodule.exports = router;\n",
};

function span(id: string, parent: string | undefined, kind: SpanKind, attributes: Span['attributes']): Span {
  return { traceId: 't1', spanId: id, parentSpanId: parent, name: id, kind, startNs: 1n, endNs: 2n, status: { code: 0 }, attributes, events: [], links: [], resource: { attributes: { 'telemetry.sdk.language': 'nodejs' }, serviceName: 'conduit' }, scope: { name: 'test' } };
}

describe('route placement through mount chains (Locator + trace placement)', () => {
  let ws: TempWorkspace;
  afterEach(() => ws.cleanup());

  it('places server and request-handler spans at the handler in the router file, and the query as issued from it', () => {
    ws = tempWorkspace(FILES);
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const server = span('srv', undefined, SpanKind.Server, { 'http.route': '/api/profiles/:username', 'http.request.method': 'GET' });
    const handler = span('h', 'srv', SpanKind.Internal, { 'http.route': '/api/profiles/:username', 'express.type': 'request_handler', 'express.name': 'show' });
    const query = span('q', 'h', SpanKind.Client, { 'db.system': 'postgresql', 'db.statement': 'select * from "users" where "username" = $1' });
    const b = emptyBatch();
    b.spans = [query, handler, server];
    locator.locateBatch(b);
    new TracePlacement().place(b);
    const at = (l?: { file: string; line: number }) => l && `${l.file.slice(ws.root.length + 1)}:${l.line}`;
    assert.equal(at(server.location), 'routes/profiles.js:2');
    assert.equal(at(handler.location), 'routes/profiles.js:2');
    assert.equal(handler.location?.nested, true);
    assert.equal(at(query.issuedFrom), 'routes/profiles.js:2');
    assert.equal(query.location, undefined);
  });

  it('keeps /api/articles/:slug apart from /api/profiles/:username and places router.get("/") under its mount', () => {
    ws = tempWorkspace(FILES);
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const slug = locator.locateRoute('/api/articles/:slug', 'GET');
    const list = locator.locateRoute('/api/articles/', 'GET');
    assert.equal(slug && `${slug.file.slice(ws.root.length + 1)}:${slug.line}`, 'routes/articles.js:3');
    assert.equal(list && `${list.file.slice(ws.root.length + 1)}:${list.line}`, 'routes/articles.js:2');
  });

  it('follows an edit of the router file (new mount path) on the next lookup', () => {
    ws = tempWorkspace(FILES);
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    assert.ok(locator.locateRoute('/api/profiles/:username', 'GET'));
    const app = ws.write('app.js', FILES['app.js'].replace("'/api/profiles'", "'/api/people'"));
    locator.fileChanged(app);
    assert.equal(locator.locateRoute('/api/profiles/:username', 'GET'), undefined);
    assert.ok(locator.locateRoute('/api/people/:username', 'GET'));
  });

  it('places a handler span without a method through its server span, or the handler its exception was thrown in', () => {
    ws = tempWorkspace({
      'app.js': "const express = require('express');\nconst app = express();\napp.use('/api/articles', require('./routes/articles'));\n",
      'routes/articles.js': "const router = require('express').Router();\nrouter.get('/', async (req, res) => {\n  res.json([]);\n});\nrouter.post('/', async (req, res) => {\n  validate(req.body);\n  res.json({});\n});\nmodule.exports = router;\n",
      'lib/validate.js': "module.exports = function validate(body) {\n  throw new Error('bad');\n};\n",
    });
    const locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    const handlerSpan = (id: string, parent: string, stackFile?: string, stackLine?: number) => {
      const s = span(id, parent, SpanKind.Internal, { 'http.route': '/api/articles', 'express.type': 'request_handler' });
      if (stackFile) s.events.push({ name: 'exception', timeNs: 1n, attributes: { 'exception.type': 'Error', 'exception.message': 'bad', 'exception.stacktrace': `Error: bad\n    at handler (${join(ws.root, stackFile)}:${stackLine}:3)\n    at Layer.handle (/app/node_modules/express/lib/router/layer.js:95:5)` } });
      return s;
    };
    const at = (l?: { file: string; line: number }) => l && `${l.file.slice(ws.root.length + 1)}:${l.line}`;
    // 1. The server span of the same export says POST.
    const b1 = emptyBatch();
    const h1 = handlerSpan('h1', 's1');
    b1.spans = [h1, span('s1', undefined, SpanKind.Server, { 'http.route': '/api/articles', 'http.request.method': 'POST' })];
    locator.locateBatch(b1);
    assert.equal(at(h1.location), 'routes/articles.js:5');
    // 2. Alone in its export, thrown inside the POST handler: that handler.
    const b2 = emptyBatch();
    const h2 = handlerSpan('h2', 'gone', 'routes/articles.js', 6);
    b2.spans = [h2];
    locator.locateBatch(b2);
    assert.equal(at(h2.location), 'routes/articles.js:5');
    // 3. Alone, thrown in a helper of another file: not placed at the throw (not a handler).
    const b3 = emptyBatch();
    const h3 = handlerSpan('h3', 'gone', 'lib/validate.js', 2);
    b3.spans = [h3];
    locator.locateBatch(b3);
    assert.equal(h3.location, undefined);
  });
});
