import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { Analyzer } from '../../../../../collector/analysis/analyzer';
import { computeFingerprint } from '../../../../../collector/analysis/errors/fingerprint';
import { sourceStackParser } from '../../../../../collector/analysis/errors/stackParser';
import { logged, MemoryState, traced } from '../otelHelper';

const CORPUS = path.join(__dirname, '..', '..', 'source', 'fixtures', 'corpus');
const REV_A = 'aaaaaaa1111111111111111111111111111111111';
const REV_B = 'bbbbbbb2222222222222222222222222222222222';
const res = (rev = REV_A) => ({ 'service.name': 'orders-api', 'vcs.ref.head.revision': rev, 'telemetry.sdk.language': 'nodejs' });

/** Real V8 stacks: writes a module into a temp workspace, requires it, and captures what it
 *  throws. `padding` blank lines move the throw without changing the code's structure. */
function realError(dir: string, name: string, fn: 'loadOrder' | 'priceOrder', padding: number, id: number): Error {
  const file = path.join(dir, 'src', `${name}.js`);
  writeFileSync(file, `${'\n'.repeat(padding)}
function ${fn}(order) {
  return order.items.total + ${id};
}
exports.run = function run() { return ${fn}({ items: undefined }); };
`);
  delete require.cache[file];
  const mod = require(file) as { run: () => void };
  try {
    mod.run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

function newAnalyzer(): Analyzer {
  return new Analyzer({ state: new MemoryState(), stackParser: sourceStackParser, now: () => 0 });
}

describe('analysis/errors', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vw-analysis-'));
    mkdirSync(path.join(dir, 'src'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function spanWithException(err: Error, rev = REV_A) {
    return traced(res(rev), (tr) => {
      const root = tr.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id' } });
      root.recordException(err);
      root.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      root.end();
    });
  }

  it('groups exception span events from the SDK with count, service, revision and trace ids', async () => {
    const a = newAnalyzer();
    const b1 = await spanWithException(realError(dir, 'orders', 'loadOrder', 0, 1));
    const b2 = await spanWithException(realError(dir, 'orders', 'loadOrder', 0, 2));
    a.observe(b1);
    a.observe(b2);
    a.flush(0);
    const groups = a.features.errors.list();
    assert.equal(groups.length, 1);
    const g = groups[0];
    assert.equal(g.type, 'TypeError');
    assert.equal(g.count, 2);
    assert.deepEqual(g.services, ['orders-api']);
    assert.deepEqual(g.revisions, [REV_A]);
    assert.deepEqual(g.samples.map((s) => s.traceId), [b2.spans[0].traceId, b1.spans[0].traceId]);
    assert.equal(g.state, 'new');
    assert.equal(g.location?.function, 'loadOrder');
    assert.match(g.location!.file, /src[\\/]orders\.js$/);
  });

  it('keeps one group when an edit moves the throw to another line', async () => {
    const a = newAnalyzer();
    a.observe(await spanWithException(realError(dir, 'orders2', 'loadOrder', 0, 1)));
    a.observe(await spanWithException(realError(dir, 'orders2', 'loadOrder', 12, 1)));
    a.flush(0);
    assert.equal(a.features.errors.list().length, 1);
    assert.equal(a.features.errors.list()[0].count, 2);
  });

  it('splits errors thrown from different functions into different groups', async () => {
    const a = newAnalyzer();
    a.observe(await spanWithException(realError(dir, 'orders3', 'loadOrder', 0, 1)));
    a.observe(await spanWithException(realError(dir, 'orders3', 'priceOrder', 0, 1)));
    a.flush(0);
    assert.equal(a.features.errors.list().length, 2);
  });

  it('explains the fingerprint: type and in-app frames contribute, the message does not', () => {
    const err = realError(dir, 'orders4', 'loadOrder', 0, 1);
    const fp = computeFingerprint('TypeError', err.message, sourceStackParser.parseStackTrace(err.stack!, 'nodejs'));
    const by = Object.fromEntries(fp.components.map((c) => [c.name, c]));
    assert.equal(fp.version, 'v1');
    assert.ok(by.type.contributes && by.frames.contributes && !by.message.contributes);
    assert.equal(by.frames.values[0], 'src/orders4:loadOrder');
    assert.match(by.message.hint, /stack trace is available/);
  });

  it('without a stack, groups by type and parameterised message (ids, numbers, quoted values)', async () => {
    const a = newAnalyzer();
    const batch = await traced(res(), (tr) => {
      for (const m of ['Order 1234 not found for user "ann@example.com"', 'Order 98 not found for user "bob@example.com"']) {
        const s = tr.startSpan('GET /orders/:id', { kind: SpanKind.SERVER });
        s.setStatus({ code: SpanStatusCode.ERROR, message: m });
        s.end();
      }
      const other = tr.startSpan('GET /users/:id', { kind: SpanKind.SERVER });
      other.setStatus({ code: SpanStatusCode.ERROR, message: 'User 5 is locked' });
      other.end();
    });
    a.observe(batch);
    a.flush(0);
    const groups = a.features.errors.list();
    assert.equal(groups.length, 2);
    const orders = groups.find((g) => g.count === 2)!;
    assert.equal(orders.title, 'Order <num> not found for user <str>');
    const msg = orders.members[0].fingerprint.components.find((c) => c.name === 'message')!;
    assert.ok(msg.contributes);
    assert.equal(orders.samples[0].source, 'spanStatus');
  });

  it('groups a log record carrying exception.* attributes with the same exception on a span', async () => {
    const a = newAnalyzer();
    const err = realError(dir, 'orders5', 'loadOrder', 0, 1);
    a.observe(await spanWithException(err));
    a.observe(await logged(res(), (lg) => lg.emit({
      severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'order failed',
      attributes: { 'exception.type': 'TypeError', 'exception.message': err.message, 'exception.stacktrace': err.stack! },
    })));
    a.flush(0);
    const [g] = a.features.errors.list();
    assert.equal(g.count, 2);
    assert.deepEqual(g.samples.map((s) => s.source).sort(), ['log', 'spanEvent']);
  });

  it('names a group without exception.type after the raised exception of a chained traceback, not a cause', async () => {
    const a = newAnalyzer();
    const stack = readFileSync(path.join(CORPUS, 'python-web3-chained-frozen.txt'), 'utf8');
    a.observe(await logged({ 'service.name': 'wallet', 'telemetry.sdk.language': 'python' }, (lg) => lg.emit({
      severityNumber: SeverityNumber.ERROR, body: 'request failed', attributes: { 'exception.stacktrace': stack },
    })));
    a.flush(0);
    const [g] = a.features.errors.list();
    assert.equal(g.type, 'urllib3.exceptions.NewConnectionError');
    assert.equal(g.samples[0].type, 'urllib3.exceptions.NewConnectionError');
    assert.deepEqual([g.location?.file, g.location?.line], ['urllib3/connection.py', 186]);
    assert.deepEqual(g.members[0].fingerprint.components.find((c) => c.name === 'type')?.values, ['urllib3.exceptions.NewConnectionError']);
  });

  it('places a wrapper exception without app frames at the first app frame of its cause', async () => {
    const a = newAnalyzer();
    const stack = readFileSync(path.join(__dirname, '..', '..', 'source', 'fixtures', 'java-okhttp-caused-by.txt'), 'utf8');
    a.observe(await traced({ 'service.name': 'davdroid', 'telemetry.sdk.language': 'java' }, (tr) => {
      const span = tr.startSpan('sync');
      span.addEvent('exception', { 'exception.type': 'java.lang.RuntimeException', 'exception.message': 'An error occurred while executing doInBackground()', 'exception.stacktrace': stack });
      span.end();
    }));
    a.flush(0);
    const [g] = a.features.errors.list();
    assert.equal(g.type, 'java.lang.RuntimeException');
    assert.deepEqual([g.location?.file, g.location?.line, g.location?.function],
      ['at/bitfire/dav4android/exception/HttpException.java', 87, 'at.bitfire.dav4android.exception.HttpException.<init>']);
  });

  it('counts an exception once when it arrives both as a span event and as a log record of that span', async () => {
    const a = newAnalyzer();
    const err = realError(dir, 'orders11', 'loadOrder', 0, 1);
    const spanBatch = await spanWithException(err);
    const span = spanBatch.spans[0];
    a.observe(spanBatch);
    a.observe(await logged(res(), (lg) => lg.emit({
      severityNumber: SeverityNumber.ERROR, body: err.message,
      context: trace.setSpanContext(context.active(), { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 }),
      attributes: { 'exception.type': 'TypeError', 'exception.message': err.message, 'exception.stacktrace': err.stack! },
    })));
    a.flush(0);
    assert.equal(a.features.errors.list()[0].count, 1);
  });

  it('marks a resolved group regressed when it comes back, and leaves ignored groups ignored', async () => {
    const a = newAnalyzer();
    const e1 = realError(dir, 'orders6', 'loadOrder', 0, 1);
    const e2 = realError(dir, 'orders6', 'priceOrder', 0, 1);
    a.observe(await spanWithException(e1));
    a.observe(await spanWithException(e2));
    a.flush(0);
    const [g1, g2] = a.features.errors.list().sort((x, y) => x.id.localeCompare(y.id));
    await a.features.errors.action({ action: 'resolve', groupId: g1.id });
    await a.features.errors.action({ action: 'ignore', groupId: g2.id });
    assert.equal(a.features.errors.get(g1.id)!.state, 'resolved');
    a.observe(await spanWithException(e1));
    a.observe(await spanWithException(e2));
    a.flush(0);
    assert.equal(a.features.errors.get(g1.id)!.state, 'regressed');
    assert.match(a.features.errors.get(g1.id)!.stateReason!, /came back/);
    assert.equal(a.features.errors.get(g2.id)!.state, 'ignored');
  });

  it('does not regress a group resolved in a revision for events from the older revision', async () => {
    const a = newAnalyzer();
    const e1 = realError(dir, 'orders7', 'loadOrder', 0, 1);
    a.observe(await spanWithException(e1, REV_A));
    a.flush(0);
    const [g] = a.features.errors.list();
    await a.features.errors.action({ action: 'resolve', groupId: g.id, inRevision: REV_B });
    a.observe(await spanWithException(e1, REV_A));
    a.flush(0);
    assert.equal(a.features.errors.get(g.id)!.state, 'resolved');
    a.observe(await spanWithException(e1, REV_B));
    a.flush(0);
    assert.equal(a.features.errors.get(g.id)!.state, 'regressed');
  });

  it('marks a new group regressed when it first appears in a new revision of the service', async () => {
    const a = newAnalyzer();
    a.observe(await traced(res(REV_A), (tr) => tr.startSpan('GET /health', { kind: SpanKind.SERVER }).end()));
    a.observe(await spanWithException(realError(dir, 'orders8', 'loadOrder', 0, 1), REV_B));
    a.flush(0);
    const [g] = a.features.errors.list();
    assert.equal(g.state, 'regressed');
    assert.match(g.stateReason!, /first appeared in revision bbbbbbb/);
  });

  it('merges two groups into one, and splits a member back out', async () => {
    const a = newAnalyzer();
    a.observe(await spanWithException(realError(dir, 'orders9', 'loadOrder', 0, 1)));
    a.observe(await spanWithException(realError(dir, 'orders9', 'priceOrder', 0, 1)));
    a.observe(await spanWithException(realError(dir, 'orders9', 'priceOrder', 0, 1)));
    a.flush(0);
    const [big, small] = a.features.errors.list().sort((x, y) => y.count - x.count);
    const [merged] = await a.features.errors.action({ action: 'merge', groupId: big.id, otherIds: [small.id] });
    assert.equal(merged.count, 3);
    assert.equal(a.features.errors.list().length, 1);
    assert.equal(a.features.errors.get(small.id)!.id, big.id, 'the merged-away id resolves to the survivor');
    a.observe(await spanWithException(realError(dir, 'orders9', 'loadOrder', 0, 1)));
    a.flush(0);
    assert.equal(a.features.errors.get(big.id)!.count, 4, 'new events of the merged fingerprint join the survivor');
    const split = await a.features.errors.action({ action: 'split', groupId: big.id, fingerprint: small.members[0].fingerprint.hash });
    assert.equal(split.length, 2);
    assert.deepEqual(a.features.errors.list().map((g) => g.count).sort(), [2, 2]);
  });

  it('turns a new group ongoing once it is older than the "new" window', async () => {
    const a = new Analyzer({ state: new MemoryState(), now: () => 0, settings: { newForMs: 60_000 } });
    a.observe(await spanWithException(realError(dir, 'orders10', 'loadOrder', 0, 1)));
    a.flush(0);
    const [g] = a.features.errors.list();
    a.tick(g.firstSeenMs + 30_000);
    assert.equal(a.features.errors.get(g.id)!.state, 'new');
    a.tick(g.firstSeenMs + 61_000);
    assert.equal(a.features.errors.get(g.id)!.state, 'ongoing');
  });

  it('rejects an action on an unknown group', async () => {
    await assert.rejects(newAnalyzer().features.errors.action({ action: 'resolve', groupId: 'nope' }), /no error group nope/);
  });
});

// A sibling check with the parent/child context API, so an exception recorded on a child
// span of a request still carries the request's trace id.
describe('analysis/errors trace context', () => {
  it('keeps the trace id of the request on a child span exception', async () => {
    const a = newAnalyzer();
    const batch = await traced(res(), (tr) => {
      const root = tr.startSpan('POST /checkout', { kind: SpanKind.SERVER });
      const child = tr.startSpan('charge', {}, trace.setSpan(context.active(), root));
      child.recordException(new RangeError('amount must be positive, got -3'));
      child.end();
      root.end();
    });
    a.observe(batch);
    a.flush(0);
    assert.equal(a.features.errors.list()[0].samples[0].traceId, batch.spans[0].traceId);
  });
});
