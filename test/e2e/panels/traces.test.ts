import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshot } from '../../harness/chromium';
import { openPanel, servePanels, type OpenedPanel, type PanelServer } from '../../harness/panelPage';
import { ensurePanelsBuilt } from './build';
import { startCollectorWithDemo, waitFor, type CollectorFixture } from './collectorFixture';
import { DEMO_FILE, N_PLUS_ONE, ORDERS_LINE, sendCheckoutFailures } from './demoTelemetry';

describe('traces panel (Chromium, data through a real collector)', () => {
  let browser: Browser;
  let server: PanelServer;
  let fx: CollectorFixture;
  let panel: OpenedPanel | undefined;

  before(async () => {
    ensurePanelsBuilt();
    fx = await startCollectorWithDemo();
    server = await servePanels();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await fx?.stop();
  });
  afterEach(async () => {
    await panel?.close();
    panel = undefined;
  });

  const open = async (theme: 'light' | 'dark' = 'dark') => {
    panel = await openPanel(browser, server, 'traces', { theme, respond: fx.respond });
    await panel.page.waitForSelector(`body[data-traces-loaded="${fx.ids.traceCount}"]`, { state: 'attached' });
    return panel;
  };
  const openOrdersTrace = async (p: OpenedPanel) => {
    await p.page.locator('vscode-textfield[placeholder^="Search"]').click();
    await p.page.keyboard.type('orders');
    await p.page.waitForSelector('body[data-traces-loaded="1"]', { state: 'attached' });
    await p.page.locator('.pane.left .vrow', { hasText: 'GET /orders/:id' }).click();
    await p.page.waitForSelector('body[data-trace-rendered]', { state: 'attached' });
  };

  it('posts ready first, then lists the traces the collector stored', async () => {
    const p = await open();
    assert.deepEqual(p.posted[0], { type: 'ready', panel: 'traces' });
    const rows = await p.page.locator('.pane.left .vrow:visible').allTextContents();
    assert.match(rows[0], /GET \/products/); // newest first
    assert.ok(rows.length < fx.ids.traceCount + 1);
    assert.match(await p.page.locator('.toolbar').textContent() ?? '', new RegExp(`${fx.ids.traceCount} traces`));
    // The oldest trace is out of view until the list scrolls (only visible rows exist).
    await p.page.locator('.pane.left .vlist').focus();
    await p.page.keyboard.press('End');
    await p.page.locator('.pane.left .vrow.selected', { hasText: 'GET /orders/:id' }).waitFor();
    assert.deepEqual(p.problems, []);
  });

  it('filters to error traces', async () => {
    const p = await open();
    await p.page.locator('vscode-single-select[aria-label="Status"]').evaluate((el: HTMLElement & { value: string }) => { el.value = 'error'; el.dispatchEvent(new Event('change')); });
    await p.page.waitForFunction(() => [...document.querySelectorAll('.pane.left .vrow')].filter((r) => r.checkVisibility()).length === 1);
    assert.match(await p.page.locator('.pane.left .vrow:visible').first().textContent() ?? '', /GET \/orders\/:id/);
  });

  it('draws the waterfall with nesting, errors and the N+1 repeats grouped', async () => {
    const p = await open();
    await openOrdersTrace(p);
    const rows = p.page.locator('.trace-main .vrow:visible');
    const texts = await rows.allTextContents();
    assert.equal(texts.length, 3, texts.join('\n')); // root, grouped SELECTs, payment call
    assert.match(texts[1], new RegExp(`SELECT order_items ×${N_PLUS_ONE}`));
    assert.equal(await p.page.locator('.trace-main .vrow.error-row').count(), 2); // root + payment
    const widths = await p.page.locator('.trace-main .wf-bar').evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().width));
    assert.ok(widths.every((w) => w >= 2), `bars: ${widths}`);
    const indents = await p.page.locator('.trace-main .wf-indent').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(indents[1] > indents[0], 'children are indented under the root');
    await screenshot(p.page, 'panel-traces-waterfall-dark');
    // Expanding the group shows every repeated call.
    await rows.nth(1).click();
    await p.page.waitForFunction((n) => [...document.querySelectorAll('.trace-main .vrow')].filter((r) => r.checkVisibility()).length === n, 3 + N_PLUS_ONE);
  });

  it('shows span details with the exception event and the logs of the same trace', async () => {
    const p = await open('light');
    await openOrdersTrace(p);
    await p.page.locator('.trace-main .vrow', { hasText: 'POST /payments' }).click();
    await p.page.locator('.details', { hasText: 'payment failed for order 17' }).waitFor();
    const details = await p.page.locator('.details').textContent() ?? '';
    assert.match(details, /exception/);
    assert.match(details, /card declined for order 17/);
    assert.match(details, /loading order 17/); // the other log of the same trace
    await screenshot(p.page, 'panel-traces-details-light');
  });

  it('opens the source of a located span', async () => {
    const p = await open();
    await openOrdersTrace(p);
    await p.page.locator('.trace-main .vrow:visible', { hasText: 'GET /orders/:id' }).click();
    const btn = p.page.locator('.details vscode-button[title="Open source"]');
    assert.match(await btn.textContent() ?? '', new RegExp(`demoTelemetry\\.ts:${ORDERS_LINE}`));
    await btn.click();
    await waitFor(() => p.posted.some((m) => (m as { type: string }).type === 'openSource'), 'openSource');
    const msg = p.posted.find((m) => (m as { type: string }).type === 'openSource');
    assert.deepEqual(msg, { type: 'openSource', location: { file: DEMO_FILE, line: ORDERS_LINE } });
  });

  it('shows the handler a query was issued from when it has no location of its own', async () => {
    const p = await open();
    await openOrdersTrace(p);
    await p.page.locator('.trace-main .vrow:visible', { hasText: 'SELECT order_items' }).click(); // expands the group
    await p.page.locator('.trace-main .vrow:visible', { hasText: 'SELECT order_items' }).nth(1).click();
    const box = p.page.locator('.details .issued-from');
    assert.match(await box.textContent() ?? '', new RegExp(`Issued from .*demoTelemetry\\.ts:${ORDERS_LINE} \\(no location of its own\\)`));
    await box.locator('vscode-button[title="Open source"]').click();
    await waitFor(() => p.posted.some((m) => (m as { type: string }).type === 'openSource'), 'openSource');
    assert.deepEqual(p.posted.find((m) => (m as { type: string }).type === 'openSource'), { type: 'openSource', location: { file: DEMO_FILE, line: ORDERS_LINE } });
  });

  it('updates live when the host pushes changed', async () => {
    const p = await open();
    await sendCheckoutFailures(fx.url, 2);
    await waitFor(async () => (await fx.client.request('traces', { limit: 1000 })).length >= fx.ids.traceCount + 2, 'the new traces in the store');
    await p.send({ type: 'changed', topics: ['spans'] });
    await p.page.waitForSelector(`body[data-traces-loaded="${fx.ids.traceCount + 2}"]`, { state: 'attached' });
    fx.ids.traceCount += 2; // later tests see the new traces too
  });

  it('restores the open trace from its saved webview state (reload / serializer revive)', async () => {
    panel = await openPanel(browser, server, 'traces', { respond: fx.respond, state: { traceId: fx.ids.checkoutTraceId, filter: { limit: 1000 } } });
    await panel.page.waitForSelector('body[data-trace-rendered]', { state: 'attached' });
    assert.match(await panel.page.locator('.trace-head').textContent() ?? '', new RegExp(fx.ids.checkoutTraceId));
    assert.match(await panel.page.locator('.trace-main').textContent() ?? '', /loadCart[\s\S]*GET cart:42/);
  });

  it('narrows to the traces of one file when shown from a lens', async () => {
    const p = await open();
    await p.send({ type: 'show', focus: { file: DEMO_FILE } });
    await p.page.locator('.toolbar .badge', { hasText: 'in panels/demoTelemetry.ts' }).waitFor();
    await p.page.waitForFunction((n) => Number(document.body.dataset.tracesLoaded) < n, fx.ids.traceCount);
    const rows = await p.page.locator('.pane.left .vrow:visible').allTextContents();
    assert.ok(rows.some((r) => r.includes('GET /orders/:id')), rows.join('\n'));
    assert.ok(!rows.some((r) => r.includes('GET /products')), 'traces without a span in the file are gone');
  });

  it('is keyboard navigable: arrows and Enter open a trace', async () => {
    const p = await open();
    await p.page.locator('.pane.left .vlist').focus();
    await p.page.keyboard.press('Home');
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('body[data-trace-rendered]', { state: 'attached' });
    assert.ok(p.posted.some((m) => (m as { method?: string }).method === 'trace'));
  });
});
