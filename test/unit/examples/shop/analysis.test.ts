// The shop's faults as the collector's own analysis sees them: the shop and pricing run
// under vibewatch/register against a collector with the real Locator and Analyzer (fast
// timers), the shop's own .vibewatch config loaded. This is what the demo's overlays read.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeShopRepo, type ShopRepo } from '../../../../scripts/makeShopRepo';
import { startCollector, type Running } from '../../collector/server/harness';
import { MemoryStore } from '../../collector/server/memoryStore';
import { httpGet, otelEnv, REPO, spawnApp, waitFor, type RunningApp } from '../../register/spawnApp';
import { Analyzer } from '../../../../collector/analysis/analyzer';
import { Locator, runtimeHintForLanguage } from '../../../../collector/source/locator';
import { WorkspaceRegistry } from '../../../../collector/live/workspaceRegistry';
import type { RepeatedCallFinding, SlowQueryFinding } from '../../../../collector/analysis/types';
import { DEMO_SLOW_QUERY_MS } from '../../../../scripts/demoStack';
import { lineOf } from './lineOf';

describe('example shop through the collector analysis', function () {
  this.timeout(120_000);
  let tmp: string;
  let repo: ShopRepo;
  let collector: Running;
  let analyzer: Analyzer;
  let pricing: RunningApp;
  let shop: RunningApp;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vw-shop-analysis-'));
    repo = await makeShopRepo(join(tmp, 'shop'), { linkNodeModules: join(REPO, 'node_modules') });
    const store = new MemoryStore();
    const workspaces = new WorkspaceRegistry();
    workspaces.register(1, { folders: [repo.dir], pathMappings: {} });
    const locator = new Locator(workspaces);
    analyzer = new Analyzer({
      state: store,
      workspaceFolders: [repo.dir],
      settings: { slowQueryMs: DEMO_SLOW_QUERY_MS, traceQuietMs: 300, flushIntervalMs: 100, tickIntervalMs: 200, minuteGraceMs: 0, configReloadMs: 600_000 },
      log: () => {},
      // As the collector wires it (collector/process/analysisComponent.ts): the throw site comes from the stack.
      locateStack: (stack, runtime) => locator.locateStack(stack, runtimeHintForLanguage(runtime)).location,
    });
    await analyzer.start();
    collector = await startCollector({}, { store, workspaces, processors: [{ name: 'locate', fn: (b) => locator.locateBatch(b) }, { name: 'analysis', fn: analyzer.processor }] });
    pricing = await spawnApp(join(repo.dir, 'pricing', 'server.js'), { cwd: repo.dir, env: { ...otelEnv(collector.url), PORT: '0' } });
    shop = await spawnApp(join(repo.dir, 'src', 'server.js'), { cwd: repo.dir, env: { ...otelEnv(collector.url), PORT: '0', PRICING_URL: `http://127.0.0.1:${pricing.port}` }, timeoutMs: 40_000 });
    const post = (body: unknown) => httpGet(shop.port, '/api/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await httpGet(shop.port, '/api/orders?limit=25');
    // Customers near the end of the table: the scan reads most of its 200,000 rows.
    for (let i = 1; i <= 3; i++) await httpGet(shop.port, `/api/customers/lookup?email=ada.${199_960 + i * 10}@example.com`);
    await post({ customerId: 1, items: [1, 2, 3, 4].map((p) => ({ productId: p, quantity: 1 })), discount: { code: 'welcome10' } });
    for (let i = 0; i < 3; i++) await post({ customerId: 2, items: [{ productId: 5, quantity: 1 }] });
  });
  after(async () => {
    await shop?.stop();
    await pricing?.stop();
    await analyzer?.shutdown();
    await collector?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const file = (rel: string) => join(repo.dir, rel);
  /** The commit `git blame` gives for one line, and the fault that commit brought. */
  const blamedFault = (path: string, line: number) => {
    const sha = execFileSync('git', ['blame', '--porcelain', '-L', `${line},${line}`, '--', path], { cwd: repo.dir, encoding: 'utf8' }).slice(0, 40);
    return repo.commits.find((c) => c.sha === sha)?.fault;
  };

  it('reports the N+1 in the order list at the loop line of orders.js', async () => {
    const f = await waitFor('an N+1 finding', () => analyzer.features.findings.list({ kind: 'nPlusOne' })[0] as RepeatedCallFinding | undefined, 20_000);
    assert.ok(f.maxRepeats >= 25, `maxRepeats ${f.maxRepeats}`);
    assert.equal(f.location?.file, file('src/routes/orders.js'));
    assert.equal(f.location?.line, lineOf(file('src/routes/orders.js'), "FROM order_items WHERE order_id = ?').all(order.id)"));
    assert.equal(blamedFault(f.location!.file, f.location!.line), 'n+1');
  });

  it('reports the customer lookup as a slow query in customers.js', async () => {
    const f = await waitFor('a slow query', () => (analyzer.features.findings.list({ kind: 'slowQuery' }) as SlowQueryFinding[]).find((q) => q.statement.includes('lower(trim(email))')), 20_000);
    assert.ok(f.slowCalls >= 1);
    assert.equal(f.location?.file, file('src/routes/customers.js'));
    assert.equal(blamedFault(f.location!.file, f.location!.line), 'slow-query');
  });

  it('reports the retry loop as chatty HTTP to pricing from pricingClient.js', async () => {
    const f = await waitFor('a chatty-HTTP finding', () => analyzer.features.findings.list({ kind: 'chattyHttp' })[0] as RepeatedCallFinding | undefined, 20_000);
    assert.equal(f.maxRepeats, 12);
    assert.equal(f.location?.file, file('src/pricingClient.js'));
    assert.equal(blamedFault(f.location!.file, f.location!.line), 'chatty-retry');
  });

  it('groups the checkout TypeError with its location in checkout.js', async () => {
    const g = await waitFor('an error group', () => analyzer.features.errors.list().find((e) => e.type === 'TypeError'), 20_000);
    assert.equal(g.count, 3);
    assert.equal(g.location?.file, file('src/routes/checkout.js'));
    assert.equal(g.location?.line, lineOf(file('src/routes/checkout.js'), 'body.discount.code'));
    assert.equal(blamedFault(g.location!.file, g.location!.line), 'boundary-undefined');
  });

  it('loads the shop repository\'s alert rules and runbooks without errors', () => {
    const { rules, errors } = analyzer.features.alerts.rules();
    assert.deepEqual(errors, []);
    for (const id of ['shop.checkout-errors', 'shop.slow-queries', 'shop.product-latency']) assert.ok(rules.some((r) => r.id === id), id);
    assert.deepEqual(analyzer.features.runbooks.list('default.memory-trend').map((r) => r.id), ['memory-growth']);
    assert.deepEqual(analyzer.features.runbooks.list('shop.checkout-errors').map((r) => r.id), ['checkout-errors']);
    assert.deepEqual(analyzer.features.status.components().map((c) => c.id), ['storefront', 'orders', 'checkout', 'pricing']);
  });
});
