// The incidents panel names the suspected AI diff with why, from a real collector: a real git
// repository whose AI commit (a hostile subject: markup a webview must never run) added a
// throw to checkout(), failing checkouts sent with the official exporter at that revision,
// the alert opening an incident, and the panel in Chromium showing the suspect as text.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defaultConfig } from '../../../collector/config';
import { LiveClient } from '../../../collector/live/client';
import type { Method } from '../../../collector/live/protocol';
import { secretFrom } from '../../../collector/live/secretFile';
import { collectorPlugins } from '../../../collector/process/app';
import { runCollector } from '../../../collector/server/run';
import { launchChromium } from '../../harness/chromium';
import { openPanel, servePanels, type PanelServer } from '../../harness/panelPage';
import { TempRepo } from '../../unit/collector/git/repo';
import { ensurePanelsBuilt } from './build';
import { CHECKOUT_RULE, waitFor } from './collectorFixture';

const BASE = "'use strict';\nasync function checkout(cart) {\n  const span = trace('checkout');\n  return cart.items.length;\n}\n";
const AI = BASE.replace('  return cart.items.length;', "  if (cart.items.length > 0) throw new Error('cart too large');\n  return cart.items.length;");
const SUBJECT = 'Limit carts <img src=x onerror="document.body.dataset.pwned=1">';

describe('incidents panel: suspects (Chromium, real repo + collector)', () => {
  let repo: TempRepo;
  let storage: string;
  let client: LiveClient;
  let stop: () => Promise<void>;
  let browser: Browser;
  let server: PanelServer;
  let aiSha: string;

  before(async () => {
    ensurePanelsBuilt();
    repo = new TempRepo();
    repo.write('shop.js', BASE);
    repo.commit('shop');
    repo.write('shop.js', AI);
    aiSha = repo.commit(`${SUBJECT}\n\nCo-authored-by: Claude <noreply@anthropic.com>`);
    const file = join(repo.dir, 'shop.js');
    storage = mkdtempSync(join(tmpdir(), 'vw-suspects-'));
    const out: Record<string, unknown>[] = [];
    let signal!: (reason: string) => void;
    const stopSignal = new Promise<string>((r) => (signal = r));
    const flags = { workspace: repo.dir, 'analysis-settings': JSON.stringify({ rules: [CHECKOUT_RULE], tickIntervalMs: 200, flushIntervalMs: 100, traceQuietMs: 300, minuteGraceMs: 0 }) };
    const running = runCollector({ ...defaultConfig({}), port: 0, storage, flags }, { print: (l) => out.push(JSON.parse(l)), plugins: collectorPlugins(), stopSignal });
    await waitFor(() => {
      if (out.some((l) => l.event === 'start-failed')) throw new Error(JSON.stringify(out));
      return out.some((l) => l.event === 'listening');
    }, 'the collector to listen');
    const port = Number(out.find((l) => l.event === 'listening')!.port);
    client = new LiveClient({ port, secret: secretFrom(storage) });
    await client.connect();
    stop = async () => {
      client.dispose();
      signal('test');
      await running;
    };
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': aiSha }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }), { scheduledDelayMillis: 20 })],
    });
    const tracer = provider.getTracer('shop');
    const throwLine = AI.split('\n').findIndex((l) => l.includes('cart too large')) + 1;
    for (let i = 0; i < 10; i++) {
      const start = Date.now() - 30_000 + i * 100;
      const span = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: new Date(start), attributes: { 'http.route': '/checkout', 'code.file.path': file, 'code.line.number': 3 } });
      const err = new Error('cart too large');
      err.stack = `Error: cart too large\n    at checkout (${file}:${throwLine}:37)`;
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      span.end(new Date(start + 20));
    }
    await provider.forceFlush();
    await provider.shutdown();
    await waitFor(async () => (await client.request('incidents', {})).some((i) => i.suspects?.length), 'an incident with suspects', 30_000);
    server = await servePanels();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await stop?.();
    if (storage) rmSync(storage, { recursive: true, force: true });
    repo?.cleanup();
  });

  it('lists the AI diff as the first suspect with why, its subject as text (no markup runs)', async () => {
    const [inc] = (await client.request('incidents', {})).filter((i) => i.suspects?.length);
    const p = await openPanel(browser, server, 'incidents', { respond: (m, params) => client.request(m as Method, params as never), state: { id: inc.id } });
    try {
      await p.page.waitForSelector('body[data-incident-rendered]', { state: 'attached' });
      const first = p.page.locator('ol.suspects > li').first();
      assert.equal(await first.getAttribute('data-ai-diff-id'), inc.suspects![0].aiDiffId);
      assert.equal((await first.locator('.suspect-text').textContent())?.trim(), inc.suspects![0].text);
      assert.ok(inc.suspects![0].text.includes('<img src=x'), `the hostile subject reaches the panel: ${inc.suspects![0].text}`);
      const why = await first.locator('.suspect-why').textContent();
      assert.ok(why?.startsWith(`${aiSha.slice(0, 8)} · score `), why ?? '');
      assert.match(why ?? '', /checkout\(\) is in the failing frames/);
      assert.equal(await p.page.locator('.suspects img').count(), 0, 'no element made from the subject');
      assert.equal(await p.page.evaluate(() => document.body.dataset.pwned), undefined);
      assert.deepEqual(p.problems, []);
    } finally {
      await p.close();
    }
  });
});
