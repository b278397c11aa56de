// The workbench as a person sees it: code-server in Chromium on a workspace, real telemetry
// sent by the official OTLP exporter, and on screen a Vibewatch lens above the code that
// ran, an error squiggle at the throwing line, and the firing status-bar item. Screenshots
// go to test-artifacts/.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { findFreePort, probeCollector } from '../../../collector/live/probe';
import { makeTestWorkspace, type TestWorkspace } from '../../harness/testWorkspace';
import { openFileInWorkbench, openWorkbench, type Workbench } from '../../harness/workbench';

/** Spans like an instrumented shop: listOrders calls (some failing) and a TypeError thrown in parseQuantity. */
async function sendShopTraffic(port: number, ordersFile: string): Promise<void> {
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'e2e-shop' }), spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }))] });
  const tracer = provider.getTracer('vibewatch-e2e');
  const now = Date.now();
  for (let i = 0; i < 24; i++) {
    const start = new Date(now - 5000 + i * 100);
    const span = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: start, attributes: { 'code.file.path': ordersFile, 'code.line.number': 3, 'http.route': '/orders', 'http.request.method': 'GET' } });
    if (i % 2) {
      span.recordException({ name: 'TypeError', message: "Cannot read properties of undefined (reading 'trim')", stack: `TypeError: Cannot read properties of undefined (reading 'trim')\n    at parseQuantity (${ordersFile}:12:26)\n    at listOrders (${ordersFile}:6:5)` });
      span.setStatus({ code: SpanStatusCode.ERROR, message: "Cannot read properties of undefined (reading 'trim')" });
    }
    span.end(new Date(start.getTime() + 20 + i));
  }
  await provider.forceFlush();
  await provider.shutdown();
}

describe('editor overlays in the workbench (code-server in Chromium)', function () {
  this.timeout(240_000);
  let ws: TestWorkspace;
  let wb: Workbench;
  let port: number;

  before(async () => {
    port = await findFreePort();
    ws = makeTestWorkspace({ 'vibewatch.collector.port': port }, {
      // Fires on the traffic below at once (no dwell), so the status bar shows it.
      '.vibewatch/alerts.json': JSON.stringify({ rules: [{ id: 'e2e-orders-errors', title: 'Orders failing', kind: 'errorRate', service: 'e2e-*', op: '>', threshold: 0.2, minCalls: 5, windowMinutes: 5, for: 0, severity: 'warning' }] }, null, 2),
    });
    wb = await openWorkbench(ws.dir);
  });
  after(async () => {
    await wb?.dispose();
    ws?.dispose();
  });

  it('shows a lens, an error squiggle and the firing status-bar item', async () => {
    const { page } = wb;
    // The collector is up once the status-bar item shows the pulse.
    await page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')].some((e) => /Vibewatch/.test(e.textContent ?? '') && e.querySelector('.codicon-pulse')), undefined, { timeout: 90_000 });
    assert.equal((await probeCollector('127.0.0.1', port)).kind, 'vibewatch');
    await openFileInWorkbench(page, 'src/orders.ts');
    await sendShopTraffic(port, path.join(ws.dir, 'src', 'orders.ts'));

    const lens = page.locator('.contentWidgets .codelens-decoration, .codelens-decoration', { hasText: /calls/ }).first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    const lensText = (await lens.textContent()) ?? '';
    assert.match(lensText, /24 calls · p95 \d+ ms · 12 errors/);

    const squiggle = page.locator('.view-overlays .squiggly-error, .squiggly-error').first();
    await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
    // The error belongs at the line that threw (parseQuantity, line 12), not at the line its
    // span started (3): the squiggle and line number 12 share a row on screen.
    const lineNo = page.locator('.margin-view-overlays .line-numbers', { hasText: /^\s*12\s*$/ }).first();
    const [sq, ln] = await Promise.all([squiggle.boundingBox(), lineNo.boundingBox()]);
    assert.ok(sq && ln && Math.abs(sq.y + sq.height / 2 - (ln.y + ln.height / 2)) < ln.height / 2, `squiggle at y=${sq?.y}, line 12 at y=${ln?.y}`);

    const firing = page.locator('.statusbar-item', { hasText: /firing/ }).first();
    await firing.waitFor({ state: 'visible', timeout: 90_000 });
    assert.match((await firing.textContent()) ?? '', /\d+ firing/);
    const shot = await wb.screenshot('editor-lens-squiggle-firing');
    console.log(`screenshot: ${shot}`);
  });
});
