import { strict as assert } from 'node:assert';
import { commands } from '../../../../collector/cli/sourceCommands';
import { parseArgs, type CliIo } from '../../../../collector/cli/command';
import { tempWorkspace, type TempWorkspace } from './tempWorkspace';

function fakeIo(stdin: string): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => { io.out += t; },
    stderr: (t: string) => { io.err += t; },
    readStdin: async () => stdin,
    env: {},
  };
  return io;
}

const resolve = commands.find((c) => c.name === 'resolve')!;

const JAVA = [
  'java.lang.NullPointerException: null',
  '\tat com.acme.shop.orders.OrderService.total(OrderService.java:52) ~[classes/:na]',
  '\tat java.base/java.lang.reflect.Method.invoke(Method.java:568)',
  '\tat com.acme.shop.Missing.run(Missing.java:3)',
].join('\n');

describe('vibewatch resolve', () => {
  let ws: TempWorkspace;
  beforeEach(() => { ws = tempWorkspace({ 'src/main/java/com/acme/shop/orders/OrderService.java': '', 'web/src/app.ts': '' }); });
  afterEach(() => ws.cleanup());

  it('prints the exception, frames and the workspace file and line of each in-app frame', async () => {
    const io = fakeIo(JAVA);
    assert.equal(await resolve.run(parseArgs(['--workspace', ws.root]), io), 0);
    const out = JSON.parse(io.out);
    const item = out.items[0];
    assert.deepEqual(item.exception, { type: 'java.lang.NullPointerException', message: 'null' });
    assert.equal(item.runtime, 'java');
    assert.equal(item.frames[0].resolved.file, ws.abs('src/main/java/com/acme/shop/orders/OrderService.java'));
    assert.equal(item.frames[0].resolved.line, 52);
    assert.equal(item.frames[1].resolved, undefined);
    assert.match(item.frames[2].why, /Missing\.java/);
  });

  it('reads exception.stacktrace events and code.* attributes from an OTLP JSON export', async () => {
    const doc = {
      resourceSpans: [{
        resource: { attributes: [] },
        scopeSpans: [{
          scope: { name: 'x' },
          spans: [{
            name: 'GET /orders', attributes: [{ key: 'code.file.path', value: { stringValue: '/app/web/src/app.ts' } }, { key: 'code.line.number', value: { intValue: '7' } }],
            events: [{ name: 'exception', attributes: [{ key: 'exception.stacktrace', value: { stringValue: 'Error: x\n    at f (/app/web/src/app.ts:3:4)' } }] }],
          }],
        }],
      }],
    };
    const io = fakeIo(JSON.stringify(doc));
    assert.equal(await resolve.run(parseArgs(['--workspace', ws.root, '--runtime', 'node']), io), 0);
    const items = JSON.parse(io.out).items;
    assert.equal(items.length, 2);
    assert.equal(items[0].code.resolved.line, 7);
    assert.equal(items[1].frames[0].resolved.file, ws.abs('web/src/app.ts'));
  });

  it('applies --map prefix mappings', async () => {
    const io = fakeIo('Error: x\n    at f (/deploy/app.ts:3:4)');
    await resolve.run(parseArgs(['--workspace', ws.root, '--map', '/deploy/=${workspaceFolder}/web/src/']), io);
    assert.equal(JSON.parse(io.out).items[0].frames[0].resolved.confidence, 0.9);
  });

  it('prints a reason, not an error, for text that is no stack trace', async () => {
    const io = fakeIo('just some words');
    assert.equal(await resolve.run(parseArgs(['--workspace', ws.root]), io), 0);
    assert.ok(JSON.parse(io.out).items[0].reason);
  });

  it('fails with usage when --workspace is missing or --runtime is unknown', async () => {
    const io = fakeIo('');
    assert.equal(await resolve.run(parseArgs([]), io), 2);
    assert.equal(await resolve.run(parseArgs(['--workspace', ws.root, '--runtime', 'cobol']), io), 2);
    assert.match(io.err, /--workspace DIR is required/);
  });
});

describe('vibewatch resolve on a payload from the official OTLP/HTTP JSON exporter', () => {
  it('resolves the recorded exception of a real SDK span to this test file and line', async () => {
    const http = await import('node:http');
    const { BasicTracerProvider, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    let body = '';
    const server = http.createServer((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }))] });
    try {
      const span = provider.getTracer('vw-test').startSpan('checkout');
      const err = new Error('card declined'); const thrownAt = Number(/cli\.test\.ts:(\d+)/.exec(err.stack ?? '')?.[1]);
      span.recordException(err);
      span.end();
      await provider.forceFlush();
      const io = fakeIo(body);
      assert.equal(await resolve.run(parseArgs(['--workspace', __dirname]), io), 0);
      const item = JSON.parse(io.out).items[0];
      assert.equal(item.exception.message, 'card declined');
      const first = item.frames[0];
      assert.equal(first.resolved.file, `${__dirname.replace(/\\/g, '/')}/cli.test.ts`);
      assert.equal(first.resolved.line, thrownAt);
    } finally {
      await provider.shutdown();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
