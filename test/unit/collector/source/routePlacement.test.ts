// The Locator and trace placement on a workspace of Express routers mounted from other files,
// with spans as a plain OpenTelemetry SDK sends them (no code.*): the server span and express's
// request-handler span at the handler, the query issued from it.
import { strict as assert } from 'node:assert';
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
});
