import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { makeShopRepo, type ShopRepo } from '../../../../scripts/makeShopRepo';
import { startCollector, type Running } from '../../collector/server/harness';
import { httpGet, otelEnv, REPO, spawnApp, waitFor, type RunningApp } from '../../register/spawnApp';
import { SpanKind } from '../../../../collector/model/types';
import { lineOf } from './lineOf';

describe('example shop under vibewatch/register', function () {
  this.timeout(90_000);
  let tmp: string;
  let repo: ShopRepo;
  let collector: Running;
  let pricing: RunningApp;
  let shop: RunningApp;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vw-shop-'));
    repo = await makeShopRepo(join(tmp, 'shop'), { linkNodeModules: join(REPO, 'node_modules') });
    collector = await startCollector();
    pricing = await spawnApp(join(repo.dir, 'pricing', 'server.js'), { cwd: repo.dir, env: { ...otelEnv(collector.url), PORT: '0' } });
    shop = await spawnApp(join(repo.dir, 'src', 'server.js'), {
      cwd: repo.dir,
      env: { ...otelEnv(collector.url), PORT: '0', PRICING_URL: `http://127.0.0.1:${pricing.port}` },
      timeoutMs: 40_000,
    });
  });
  after(async () => {
    await shop?.stop();
    await pricing?.stop();
    await collector?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const shopSpans = () => collector.store.spans.filter((s) => s.resource.serviceName === 'shop');
  const post = (path: string, body: unknown) => httpGet(shop.port, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers its routes', async () => {
    assert.equal((await httpGet(shop.port, '/api/products')).status, 200);
    const product = JSON.parse((await httpGet(shop.port, '/api/products/3')).text);
    assert.equal(product.sku, 'SKU-00003');
    assert.ok(product.price.total > 0);
    assert.equal((await httpGet(shop.port, '/api/orders/7')).status, 200);
    assert.equal((await httpGet(shop.port, '/api/customers/lookup?email=ADA.10@example.com')).status, 200);
    assert.equal((await post('/api/checkout', { customerId: 1, items: [{ productId: 3, quantity: 2 }], discount: { code: ' welcome10 ' } })).status, 201);
  });

  it('runs one order_items query per order on the order list (N+1), all from the same line', async () => {
    assert.equal((await httpGet(shop.port, '/api/orders?limit=12')).status, 200);
    // The trace of that request: the one whose order_items queries are not a single order's.
    // better-sqlite3 gives two spans per query in the loop (prepare, then all).
    const items = await waitFor('12 item queries', () => {
      const byTrace = new Map<string, ReturnType<typeof shopSpans>>();
      for (const s of shopSpans()) {
        if (s.attributes['vibewatch.sqlite.call'] !== 'all' || !String(s.attributes['db.query.text']).includes('FROM order_items WHERE order_id = ?')) continue;
        byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      }
      return [...byTrace.values()].find((q) => q.length >= 12);
    });
    assert.equal(items.length, 12);
    assert.equal(new Set(items.map((s) => `${s.attributes['code.file.path']}:${s.attributes['code.line.number']}`)).size, 1);
    assert.equal(items[0].attributes['code.file.path'], join(repo.dir, 'src', 'routes', 'orders.js'));
  });

  it('scans the customers table on lookup (lower(trim(email)) cannot use the index)', async () => {
    // A customer near the end of the table, so the scan reads most of its 200,000 rows.
    await httpGet(shop.port, '/api/customers/lookup?email=grace.190001@example.com');
    await httpGet(shop.port, '/api/orders/9');
    const ms = (s: { startNs: bigint; endNs: bigint }) => Number(s.endNs - s.startNs) / 1e6;
    // The second lookup of this file (the first, in 'answers its routes', finds row 10).
    const lookup = await waitFor('lookup query', () => shopSpans().filter((s) => s.attributes['vibewatch.sqlite.call'] === 'get' && String(s.attributes['db.query.text']).includes('lower(trim(email))'))[1]);
    const byId = await waitFor('order by id query', () => shopSpans().find((s) => s.attributes['vibewatch.sqlite.call'] === 'get' && String(s.attributes['db.query.text']).includes('FROM orders WHERE id = ?')));
    assert.ok(ms(lookup) > 20 * ms(byId), `lookup ${ms(lookup)} ms vs by id ${ms(byId)} ms`);
  });

  it('fails checkouts without a discount code with a TypeError logged from checkout.js', async () => {
    const r = await post('/api/checkout', { customerId: 2, items: [{ productId: 5, quantity: 1 }] });
    assert.equal(r.status, 500);
    const log = await waitFor('the exception log', () => collector.store.logRecords.find((l) => l.resource.serviceName === 'shop' && l.attributes['exception.type'] === 'TypeError'));
    assert.match(String(log.attributes['exception.message']), /reading 'code'/);
    const line = lineOf(join(repo.dir, 'src', 'routes', 'checkout.js'), 'body.discount.code');
    assert.match(String(log.attributes['exception.stacktrace']), new RegExp(`at create \\(.*src/routes/checkout\\.js:${line}:\\d+\\)`));
    assert.ok(log.traceId, 'the log carries the request trace');
  });

  it('calls pricing three times for one quote (the retry loop never stops on success)', async () => {
    await post('/api/checkout', { customerId: 3, items: [{ productId: 8, quantity: 1 }], discount: { code: 'BEANS20' } });
    const server = await waitFor('checkout span', () => shopSpans().filter((s) => s.kind === SpanKind.Server && (s.attributes['http.request.method'] ?? s.attributes['http.method']) === 'POST' && s.attributes['http.response.status_code'] === 201).pop());
    const calls = await waitFor('3 pricing calls', () => {
      const c = collector.store.spans.filter((s) => s.traceId === server.traceId && s.resource.serviceName === 'pricing' && s.kind === SpanKind.Server);
      return c.length >= 3 ? c : undefined;
    });
    assert.equal(calls.length, 3);
  });

  it('keeps every quote in its cache, so retained memory grows with requests', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // pricingClient reads PRICING_URL when it is loaded; put the variable back right after.
    const saved = process.env.PRICING_URL;
    process.env.PRICING_URL = `http://127.0.0.1:${pricing.port}`;
    let quote: (r: { sku: string; quantity: number }) => Promise<unknown>;
    try {
      ({ quote } = require(join(repo.dir, 'src', 'pricingClient.js')) as { quote: typeof quote });
    } finally {
      if (saved === undefined) delete process.env.PRICING_URL;
      else process.env.PRICING_URL = saved;
    }
    const run = async (n: number) => {
      for (let i = 0; i < n; i += 50) await Promise.all(Array.from({ length: 50 }, (_v, j) => quote({ sku: `SKU-${(i + j) % 200}`, quantity: 1 })));
      gc();
      return process.memoryUsage().heapUsed;
    };
    const start = await run(0);
    const afterFirst = await run(300);
    const afterSecond = await run(300);
    assert.ok(afterFirst - start > 500_000, `first 300 quotes retained ${afterFirst - start} bytes`);
    assert.ok(afterSecond - afterFirst > 500_000, `next 300 quotes retained ${afterSecond - afterFirst} bytes`);
  });
});
