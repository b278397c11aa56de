import { strict as assert } from 'node:assert';
import { Locator } from '../../../../collector/source/locator';
import { emptyBatch, SpanKind, StatusCode, type Attributes, type LogRecord, type Span, type SpanEvent } from '../../../../collector/model/types';
import { tempWorkspace, type TempWorkspace } from './tempWorkspace';

const resource = { attributes: {}, serviceName: 'shop' };
const scope = { name: 'test' };

function span(attributes: Attributes, kind = SpanKind.Internal, events: SpanEvent[] = []): Span {
  return {
    traceId: '0'.repeat(32), spanId: '1'.repeat(16), name: 's', kind, startNs: 0n, endNs: 1n,
    status: { code: StatusCode.Unset }, attributes, events, links: [], resource, scope,
  };
}

function log(attributes: Attributes): LogRecord {
  return { timeNs: 0n, observedTimeNs: 0n, severityNumber: 17, body: 'x', attributes, resource, scope };
}

const NODE_TRACE = [
  'TypeError: Cannot read properties of undefined (reading \'total\')',
  '    at sum (/app/node_modules/lodash/sum.js:10:3)',
  '    at OrderService.total (/app/src/orders/service.ts:45:12)',
  '    at async handler (/app/src/server.ts:3:5)',
].join('\n');

describe('Locator', () => {
  let ws: TempWorkspace;
  let locator: Locator;
  beforeEach(() => {
    ws = tempWorkspace({
      'src/orders/service.ts': 'x\n'.repeat(60),
      'src/server.ts': "app.get('/orders/:id', h);\nconst q = 'SELECT * FROM orders WHERE id = $1';\n",
      'src/util/log.py': '',
    });
    locator = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
  });
  afterEach(() => ws.cleanup());

  it('places a span from the stable code.* attributes', () => {
    const b = emptyBatch();
    b.spans.push(span({ 'code.file.path': '/app/src/orders/service.ts', 'code.line.number': 12, 'code.column.number': 3, 'code.function.name': 'OrderService.total' }));
    locator.locateBatch(b);
    assert.deepEqual(b.spans[0].location, { file: ws.abs('src/orders/service.ts'), line: 12, column: 3, function: 'OrderService.total', via: 'attribute', confidence: 0.95 });
  });

  it('places a log record from the older code.filepath / code.lineno / code.namespace attributes', () => {
    const b = emptyBatch();
    b.logs.push(log({ 'code.filepath': '/srv/src/util/log.py', 'code.lineno': 7, 'code.function': 'emit', 'code.namespace': 'util.log' }));
    locator.locateBatch(b);
    assert.equal(b.logs[0].location?.file, ws.abs('src/util/log.py'));
    assert.equal(b.logs[0].location?.function, 'util.log.emit');
  });

  it('places an errored span at the first in-app frame of its exception event, skipping node_modules', () => {
    const b = emptyBatch();
    b.spans.push(span({}, SpanKind.Server, [{ name: 'exception', timeNs: 0n, attributes: { 'exception.stacktrace': NODE_TRACE } }]));
    locator.locateBatch(b);
    const loc = b.spans[0].location!;
    assert.equal(loc.file, ws.abs('src/orders/service.ts'));
    assert.equal(loc.line, 45);
    assert.equal(loc.via, 'stack');
  });

  it('places a log record from its exception.stacktrace attribute', () => {
    const b = emptyBatch();
    b.logs.push(log({ 'exception.stacktrace': NODE_TRACE }));
    locator.locateBatch(b);
    assert.equal(b.logs[0].location?.line, 45);
  });

  it('places a client db span at the statement literal and a server span at its route', () => {
    const b = emptyBatch();
    b.spans.push(span({ 'db.query.text': 'select * from orders where id = ?' }, SpanKind.Client));
    b.spans.push(span({ 'http.route': '/orders/{id}', 'http.request.method': 'GET' }, SpanKind.Server));
    locator.locateBatch(b);
    assert.deepEqual([b.spans[0].location?.via, b.spans[0].location?.line], ['literal', 2]);
    assert.deepEqual([b.spans[1].location?.via, b.spans[1].location?.line], ['route', 1]);
  });

  it('prefers attributes over the stack and keeps a location set upstream', () => {
    const b = emptyBatch();
    const s = span({ 'code.filepath': 'src/server.ts', 'code.lineno': 1 }, SpanKind.Server, [{ name: 'exception', timeNs: 0n, attributes: { 'exception.stacktrace': NODE_TRACE } }]);
    const preset = span({ 'code.filepath': 'src/server.ts', 'code.lineno': 1 });
    preset.location = { file: '/elsewhere.ts', line: 9, via: 'attribute', confidence: 1 };
    b.spans.push(s, preset);
    locator.locateBatch(b);
    assert.equal(s.location?.via, 'attribute');
    assert.equal(preset.location.file, '/elsewhere.ts');
  });

  it('leaves a span unplaced when its file is not in the workspace, and counts it', () => {
    const b = emptyBatch();
    b.spans.push(span({ 'code.file.path': '/app/src/missing.ts', 'code.line.number': 3 }));
    locator.locateBatch(b);
    assert.equal(b.spans[0].location, undefined);
    assert.equal(locator.stats.unplaced, 1);
  });

  it('walks the workspace once across many batches and parses a repeated stack once', () => {
    for (let k = 0; k < 20; k++) {
      const b = emptyBatch();
      for (let i = 0; i < 50; i++) b.spans.push(span({}, SpanKind.Server, [{ name: 'exception', timeNs: 0n, attributes: { 'exception.stacktrace': NODE_TRACE } }]));
      locator.locateBatch(b);
    }
    assert.equal(locator.paths.index(ws.root).builds, 1);
    assert.equal(locator.stats.located.stack, 1000);
  });

  it('parses stacks with the resource SDK language as the runtime hint', () => {
    const b = emptyBatch();
    const s = span({}, SpanKind.Server, [{ name: 'exception', timeNs: 0n, attributes: { 'exception.stacktrace': NODE_TRACE } }]);
    s.resource = { attributes: { 'telemetry.sdk.language': 'python' }, serviceName: 'shop' };
    b.spans.push(s);
    locator.locateBatch(b);
    // A Node trace read as Python has no frames: the hint was used, not detection.
    assert.equal(s.location, undefined);
    assert.equal(locator.locateStack(NODE_TRACE, 'python').stack.runtime, 'python');
  });

  it('builds the indexes in prepare(), so later spans do not walk the workspace', () => {
    locator.prepare();
    assert.equal(locator.paths.index(ws.root).builds, 1);
    const b = emptyBatch();
    b.spans.push(span({ 'http.route': '/orders/:id' }, SpanKind.Server));
    locator.locateBatch(b);
    assert.equal(b.spans[0].location?.line, 1);
    assert.equal(locator.paths.index(ws.root).builds, 1);
  });

  it('counts an item whose placement throws and still places the rest of the batch', () => {
    const b = emptyBatch();
    const bad = span({});
    Object.defineProperty(bad, 'attributes', { get() { throw new Error('broken span'); } });
    b.spans.push(bad, span({ 'code.file.path': '/app/src/server.ts', 'code.line.number': 1 }));
    assert.doesNotThrow(() => locator.locateBatch(b));
    assert.equal(locator.stats.errors, 1);
    assert.equal(locator.stats.lastError, 'broken span');
    assert.equal(b.spans[1].location?.file, ws.abs('src/server.ts'));
  });

  it('does not throw when the registry does, and counts it', () => {
    const l = new Locator({ folders: () => [ws.root], pathMappings: () => ({}) });
    (l.paths as unknown as { registry: unknown }).registry = { folders: () => { throw new Error('registry gone'); }, pathMappings: () => ({}) };
    const b = emptyBatch();
    b.spans.push(span({}));
    assert.doesNotThrow(() => l.locateBatch(b));
    assert.equal(l.stats.errors, 1);
  });

  it('follows the registry when a folder is added later', () => {
    const second = tempWorkspace({ 'lib/extra.rb': '' });
    try {
      const folders = [ws.root];
      const l = new Locator({ folders: () => folders, pathMappings: () => ({}) });
      const b1 = emptyBatch();
      b1.logs.push(log({ 'code.filepath': '/deploy/lib/extra.rb', 'code.lineno': 2 }));
      l.locateBatch(b1);
      assert.equal(b1.logs[0].location, undefined);
      folders.push(second.root);
      const b2 = emptyBatch();
      b2.logs.push(log({ 'code.filepath': '/deploy/lib/extra.rb', 'code.lineno': 2 }));
      l.locateBatch(b2);
      assert.equal(b2.logs[0].location?.file, second.abs('lib/extra.rb'));
    } finally {
      second.cleanup();
    }
  });
});
