// The demo, shortened: the same processes as `npm start` (scripts/demoStack.ts) with a
// faster load, and the workbench in Chromium on the shop repository. Checks on screen what
// a new user should see within minutes, with a screenshot of each.
// The shop runs the revision before the last AI commit, then is redeployed at HEAD, so the
// AI diff's lens shows a measured before/after.
// Part of `npm test` (about 3 minutes); VIBEWATCH_E2E_DEMO=0 skips it for a quicker run.
import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_SLOW_QUERY_MS, startDemoStack, type DemoStack } from '../../../scripts/demoStack';
import { openFileInWorkbench, openWorkbench, type Workbench } from '../../harness/workbench';
import { artifactsDir } from '../../harness/tools';

const enabled = process.env.VIBEWATCH_E2E_DEMO !== '0';

async function openFile(page: Page, rel: string): Promise<void> {
  await openFileInWorkbench(page, rel);
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
}

describe('demo (shortened npm start)', function () {
  this.timeout(600_000);
  let tmp: string;
  let stack: DemoStack;
  let wb: Workbench;

  before(async function () {
    if (!enabled) this.skip();
    tmp = mkdtempSync(join(tmpdir(), 'vw-demo-e2e-'));
    stack = await startDemoStack({ dir: tmp, rate: 25, minutes: 8 });
    // Workspace settings (an untracked file): this collector, and a slow-query threshold for
    // an in-memory database (see scripts/demoStack.ts).
    mkdirSync(join(stack.repo.dir, '.vscode'), { recursive: true });
    writeFileSync(join(stack.repo.dir, '.vscode', 'settings.json'), JSON.stringify({ 'vibewatch.collector.port': stack.collectorPort, 'vibewatch.thresholds.slowQueryMs': DEMO_SLOW_QUERY_MS }));
    // The extension trusts the demo collector through the secret in its storage folder.
    wb = await openWorkbench(stack.repo.dir, { env: { VIBEWATCH_STORAGE: stack.storage } });
  });
  after(async () => {
    await wb?.dispose();
    await stack?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('shows CodeLens with numbers on the order routes', async () => {
    await openFile(wb.page, 'src/routes/orders.js');
    await wb.page.waitForFunction(() => [...document.querySelectorAll('.codelens-decoration')].some((e) => /\d/.test(e.textContent ?? '')), undefined, { timeout: 120_000 });
    await wb.screenshot('demo-lenses');
  });

  it('shows the before/after of the deployed AI diff on the lens of the order list', async () => {
    // The stack runs the shop at the revision before the last AI commit (the N+1 in list()),
    // then redeploys at HEAD; the AI lens then carries the collector's before/after sentence.
    const deploy = await stack.deployed;
    await openFile(wb.page, 'src/routes/orders.js');
    const sha = deploy.aiCommit.sha.slice(0, 7);
    const pattern = `AI diff \\(Claude[^)]*\\) · list\\(\\): p95 ↑ ([0-9.]+)× \\((\\d+) before / (\\d+) after\\) since ${sha} \\(AI diff\\)`;
    const re = new RegExp(pattern);
    const lensTexts = () => wb.page.$$eval('.codelens-decoration', (es) => es.map((e) => e.textContent ?? ''));
    const deadline = Date.now() + 240_000;
    let seen: string[] = [];
    let text = '';
    while (!text && Date.now() < deadline) {
      seen = await lensTexts();
      // compareBeforeAfter says "not enough data" below 20 calls a side; wait for both.
      const m = seen.map((t) => re.exec(t)).find((x) => x && Number(x[2]) >= 20 && Number(x[3]) >= 20);
      if (m) text = m[0];
      else await wb.page.waitForTimeout(2000);
    }
    assert.ok(text, `no lens in orders.js shows the before/after; lenses: ${JSON.stringify(seen)}`);
    const [, ratio, before, after] = re.exec(text) ?? [];
    // The loop issues 25 × 2 more queries per call: the order list is markedly slower.
    assert.ok(Number(ratio) >= 1.5, `lens: ${text}`);
    assert.ok(Number(before) >= 20 && Number(after) >= 20, `lens: ${text}`);
    await wb.screenshot('demo-before-after-lens');
  });

  it('warns about the N+1 query in the order list', async () => {
    await openFile(wb.page, 'src/routes/orders.js');
    await wb.page.locator('.squiggly-warning, .squiggly-info').first().waitFor({ state: 'attached', timeout: 120_000 });
    // Hover each warning squiggle, as a person would, until one explains the N+1.
    const deadline = Date.now() + 120_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      for (const w of await wb.page.locator('.squiggly-warning').all()) {
        const box = await w.boundingBox();
        if (!box) continue;
        await wb.page.mouse.move(box.x + Math.min(20, box.width / 2), box.y + box.height / 2);
        const hover = wb.page.locator('.monaco-hover', { hasText: /N\+1/ }).first();
        if (await hover.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false)) {
          found = true;
          break;
        }
        await wb.page.mouse.move(5, 5);
      }
      if (!found) await wb.page.waitForTimeout(2000);
    }
    assert.ok(found, 'no warning squiggle in orders.js explains an N+1 query');
    await wb.screenshot('demo-n-plus-one');
  });

  it('puts an error squiggle on the discount-code line at the checkout boundary', async () => {
    await openFile(wb.page, 'src/routes/checkout.js');
    await wb.page.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 120_000 });
    await wb.screenshot('demo-error-squiggle');
  });

  it('says in the status bar that alerts fire', async () => {
    await wb.page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')].some((e) => /\d+ firing/.test(e.textContent ?? '')), undefined, { timeout: 240_000 });
    await wb.screenshot('demo-status-bar');
  });

  it('lists an incident in the Vibewatch views and ranks the AI diffs with faults first', async () => {
    await wb.page.locator('.activitybar [aria-label^="Vibewatch"]').first().click();
    await wb.page.locator('.pane-header', { hasText: 'Incidents' }).first().waitFor({ state: 'visible' });
    const incidents = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Incidents' }) }).locator('.monaco-list-row');
    await incidents.first().waitFor({ state: 'visible', timeout: 240_000 });
    const aiRows = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'AI Diffs' }) }).locator('.monaco-list-row');
    await aiRows.first().waitFor({ state: 'visible', timeout: 60_000 });
    const first = (await aiRows.first().textContent()) ?? '';
    const faulty = stack.repo.commits.filter((c) => c.fault).map((c) => c.subject);
    assert.ok(faulty.some((s) => first.includes(s)), `first AI diff row: ${first}`);
    await wb.screenshot('demo-views');
  });

  it('shows the status page as degraded', async () => {
    const deadline = Date.now() + 240_000;
    let last = '';
    while (Date.now() < deadline) {
      const res = await fetch(`${stack.collectorUrl}/status.json`);
      last = await res.text();
      if (res.ok && /degraded_performance|partial_outage|major_outage/.test(last)) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    assert.match(last, /degraded_performance|partial_outage|major_outage/);
    const page = await wb.browser.newPage();
    await page.goto(`${stack.collectorUrl}/status`);
    assert.equal(await page.title(), 'Shop status');
    await page.screenshot({ path: join(artifactsDir('screenshots'), 'demo-status-page.png') });
    await page.close();
  });
});
