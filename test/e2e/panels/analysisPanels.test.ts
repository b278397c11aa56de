// The logs, errors, alerts, metrics, incidents and status panels in Chromium, answered by a
// real collector + analyzer fed with OTel SDK telemetry (demo traffic, then failing
// checkouts that fire a critical alert and open an incident).
import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../../harness/chromium';
import { openPanel, servePanels, type OpenedPanel, type PanelServer } from '../../harness/panelPage';
import type { ThemeName } from '../../harness/themes';
import type { PanelName } from '../../../webview/protocol';
import { ensurePanelsBuilt } from './build';
import { startCollectorWithDemo, waitFor, type CollectorFixture } from './collectorFixture';
import { DEMO_FILE, sendCheckoutFailures, sendLog } from './demoTelemetry';
import { SeverityNumber } from '@opentelemetry/api-logs';

/** True when the canvas has at least `min` non-transparent pixels (something was drawn). */
async function canvasInk(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
}

describe('analysis panels (Chromium, data through a real collector + analyzer)', () => {
  let browser: Browser;
  let server: PanelServer;
  let fx: CollectorFixture;
  let panel: OpenedPanel | undefined;

  before(async () => {
    ensurePanelsBuilt();
    fx = await startCollectorWithDemo();
    await sendCheckoutFailures(fx.url, 6);
    await waitFor(async () => (await fx.client.request('incidents', { open: true })).length > 0, 'the checkout incident', 15_000);
    await waitFor(async () => (await fx.client.request('errors', {})).length > 0, 'error groups', 15_000);
    server = await servePanels();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await fx?.stop();
  });
  afterEach(async () => {
    if (panel) assert.deepEqual(panel.problems, [], 'no console errors or CSP violations');
    await panel?.close();
    panel = undefined;
  });
  const open = async (name: PanelName, loaded: string, theme: ThemeName = 'dark') => {
    panel = await openPanel(browser, server, name, { theme, respond: fx.respond });
    await panel.page.waitForSelector(`body[${loaded}]`, { state: 'attached' });
    return panel;
  };

  it('logs: lists records, filters by severity, and opens a record\'s trace in one click', async () => {
    const p = await open('logs', 'data-logs-loaded');
    assert.match(await p.page.locator('.vlist').textContent() ?? '', /payment failed for order 17/);
    await p.page.locator('vscode-single-select[aria-label="Minimum severity"]').evaluate((el: HTMLElement & { value: string }) => { el.value = '17'; el.dispatchEvent(new Event('change')); });
    await p.page.waitForSelector('body[data-logs-loaded="1"]', { state: 'attached' });
    await p.page.locator('.vrow:visible', { hasText: 'payment failed' }).click();
    assert.match(await p.page.locator('.details').textContent() ?? '', /order\.id/);
    await screenshot(p.page, 'panel-logs-dark');
    await p.page.locator('.details vscode-button', { hasText: 'Open trace' }).click();
    await waitFor(() => p.posted.some((m) => (m as { type: string }).type === 'showPanel'), 'showPanel');
    const msg = p.posted.find((m) => (m as { type: string }).type === 'showPanel') as { panel: string; focus: { traceId: string } };
    assert.equal(msg.panel, 'traces');
    assert.equal(msg.focus.traceId, fx.ids.ordersTraceId);
  });

  it('logs: live tail shows a new record when the host pushes changed', async () => {
    const p = await open('logs', 'data-logs-loaded');
    await p.page.locator('vscode-checkbox[label="Live tail"]').click();
    await sendLog(fx.url, 'disk almost full on worker-3');
    await waitFor(async () => (await fx.client.request('logs', { text: 'disk almost full' })).length > 0, 'the new log in the store');
    await p.send({ type: 'changed', topics: ['logs'] });
    await p.page.locator('.vrow:visible', { hasText: 'disk almost full on worker-3' }).waitFor();
    assert.match(await p.page.locator('.toolbar').textContent() ?? '', /tailing/);
  });

  it('logs: a lens\'s "logs of this line" shows only that location, with a chip that clears it', async () => {
    await sendLog(fx.url, 'cache miss for sku 9', SeverityNumber.INFO, { 'code.filepath': DEMO_FILE, 'code.lineno': 12 });
    await waitFor(async () => (await fx.client.request('logs', { file: DEMO_FILE, line: 12 })).length > 0, 'the located log in the store');
    const p = await open('logs', 'data-logs-loaded');
    assert.match(await p.page.locator('.vlist').textContent() ?? '', /payment failed for order 17/);
    await p.send({ type: 'show', focus: { file: DEMO_FILE, line: 12 } });
    await p.page.waitForSelector('body[data-logs-loaded="1"]', { state: 'attached' });
    assert.match(await p.page.locator('.vlist').textContent() ?? '', /cache miss for sku 9/);
    const chip = p.page.locator('[data-role="location-filter"]');
    assert.match(await chip.textContent() ?? '', /demoTelemetry\.ts:12/);
    await chip.locator('vscode-button').click();
    await p.page.waitForFunction(() => Number(document.body.dataset.logsLoaded) > 1);
    assert.equal(await chip.isHidden(), true);
  });

  it('errors: shows the group, its parsed stack, and a click on an in-app frame posts openSource', async () => {
    const p = await open('errors', 'data-groups-loaded', 'light');
    const row = p.page.locator('.vrow:visible', { hasText: 'card declined' }).first();
    await row.click();
    await p.page.waitForSelector('body[data-group-rendered]', { state: 'attached' });
    const frames = p.page.locator('.frame.app button.link');
    assert.ok(await frames.count() >= 1, 'an in-app frame');
    assert.match(await frames.first().textContent() ?? '', /demoTelemetry\.ts:\d+/);
    assert.ok(await p.page.locator('.frame.lib').count() >= 1, 'library frames are shown but not links');
    assert.match(await p.page.locator('.details-page').textContent() ?? '', /Recent events[\s\S]*trace/);
    await screenshot(p.page, 'panel-errors-light');
    await frames.first().click();
    await waitFor(() => p.posted.some((m) => (m as { type: string }).type === 'openSource'), 'openSource');
    const msg = p.posted.find((m) => (m as { type: string }).type === 'openSource') as { location: { file: string; line: number } };
    assert.match(msg.location.file, /test\/e2e\/panels\/demoTelemetry\.ts$/);
    assert.ok(msg.location.line > 0);
  });

  it('errors: resolve changes the group state through the collector', async () => {
    const p = await open('errors', 'data-groups-loaded');
    await p.page.locator('.vrow:visible', { hasText: 'card declined' }).first().click();
    await p.page.waitForSelector('body[data-group-rendered]', { state: 'attached' });
    await p.page.locator('.details-page vscode-button', { hasText: 'Resolve' }).click();
    await waitFor(async () => (await fx.client.request('errors', { state: 'resolved' })).length > 0, 'a resolved group');
    await p.page.locator('.details-page', { hasText: 'RESOLVED' }).waitFor();
  });

  it('alerts: lists the firing alert and draws its series against the rule threshold', async () => {
    const p = await open('alerts', 'data-alerts-loaded');
    assert.match(await p.page.locator('.toolbar').textContent() ?? '', /[1-9]\d* firing/);
    await p.page.locator('.vrow:visible', { hasText: 'Checkout failing' }).first().click();
    await p.page.waitForSelector('body[data-chart-drawn]', { state: 'attached' });
    assert.ok(await canvasInk(p.page, '.chart canvas') > 100, 'the chart canvas has ink');
    assert.equal(await p.page.evaluate(() => document.body.dataset.chartDrawn), 'ep|shop|POST /checkout/pay');
    assert.match(await p.page.locator('.details').textContent() ?? '', /checkout-errors|Checkout failing/);
    await screenshot(p.page, 'panel-alerts-dark');
  });

  it('metrics: lists series and draws percentile lines for an endpoint', async () => {
    const p = await open('metrics', 'data-series-loaded', 'light');
    await p.page.locator('.vrow:visible', { hasText: '/products' }).first().click();
    await p.page.waitForSelector('body[data-chart-drawn]', { state: 'attached' });
    assert.ok(await canvasInk(p.page, '.chart canvas') > 100, 'the chart canvas has ink');
    const legend = await p.page.locator('.u-legend').textContent() ?? '';
    assert.match(legend, /p50/);
    assert.match(legend, /p95/);
    await screenshot(p.page, 'panel-metrics-light');
  });

  it('metrics: draws an OTLP gauge as a value line', async () => {
    const p = await open('metrics', 'data-series-loaded');
    await p.page.locator('.vrow:visible', { hasText: 'process.memory.usage' }).first().click();
    await p.page.waitForSelector('body[data-chart-drawn]', { state: 'attached' });
    assert.ok(await canvasInk(p.page, '.chart canvas') > 100, 'the chart canvas has ink');
    assert.match(await p.page.locator('.u-legend').textContent() ?? '', /value/);
    await screenshot(p.page, 'panel-metrics-gauge-dark');
  });

  it('incidents: shows the incident timeline and acknowledges it', async () => {
    const p = await open('incidents', 'data-incidents-loaded');
    await p.page.locator('.vrow:visible').first().click();
    await p.page.waitForSelector('body[data-incident-rendered]', { state: 'attached' });
    const text = await p.page.locator('.pane.right').textContent() ?? '';
    assert.match(text, /Timeline/);
    assert.match(text, /Suggested runbooks/);
    assert.match(text, /Shipped shortly before/);
    await screenshot(p.page, 'panel-incidents-dark');
    await p.page.locator('.pane.right vscode-button', { hasText: 'Acknowledge' }).click();
    await waitFor(async () => (await fx.client.request('incidents', { open: true }))[0]?.state === 'acknowledged', 'the incident to be acknowledged');
    await p.page.locator('.pane.right h2 + div', { hasText: 'ACKNOWLEDGED' }).waitFor(); // re-rendered after the action
    // A note lands on the timeline shown in the panel.
    await p.page.locator('vscode-textarea[aria-label="Add a note (internal)"]').evaluate((el: HTMLElement & { value: string }) => { el.value = 'Rolled back payments client to 2.3.0'; });
    await p.page.locator('.pane.right vscode-button', { hasText: 'Add note' }).click();
    await p.page.locator('.timeline', { hasText: 'Rolled back payments client to 2.3.0' }).waitFor();
  });

  it('status: previews the public page and posts a public update', async () => {
    const p = await open('status', 'data-status-rendered', 'light');
    assert.match(await p.page.locator('.component').first().getAttribute('data-status') ?? '', /outage|degraded/);
    assert.equal(await p.page.locator('.component').first().locator('.bar').count(), 90);
    await p.page.locator('vscode-textarea').first().evaluate((el: HTMLElement & { value: string }) => { el.value = 'Fix deployed, watching recovery.'; });
    await p.page.locator('vscode-button', { hasText: 'Post update' }).first().click();
    await waitFor(async () => (await fx.client.request('status', {})).incidents.some((i) => i.updates.some((u) => u.message.includes('Fix deployed'))), 'the public update');
    await p.page.locator('.status-page', { hasText: 'Fix deployed, watching recovery.' }).waitFor();
    await screenshot(p.page, 'panel-status-light');
  });
});
