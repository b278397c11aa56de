import { strict as assert } from 'node:assert';
import { findFreePort } from '../../../collector/live/probe';
import { makeTestWorkspace, type TestWorkspace } from '../../harness/testWorkspace';
import { openWorkbench, type Workbench } from '../../harness/workbench';

describe('workbench (code-server in Chromium)', function () {
  this.timeout(180_000);
  let ws: TestWorkspace;
  let wb: Workbench;

  before(async () => {
    ws = makeTestWorkspace({ 'vibewatch.collector.port': await findFreePort() });
    wb = await openWorkbench(ws.dir);
  });
  after(async () => {
    await wb?.dispose();
    ws?.dispose();
  });

  it('shows the Vibewatch status-bar item once the collector is up', async () => {
    const item = wb.page.locator('.statusbar-item', { hasText: 'Vibewatch' }).first();
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    // The item reads "Vibewatch" (pulse icon) when the collector runs and nothing fires.
    await wb.page.waitForFunction(
      () => [...document.querySelectorAll('.statusbar-item')].some((e) => /Vibewatch/.test(e.textContent ?? '') && e.querySelector('.codicon-pulse')),
      undefined,
      { timeout: 60_000 },
    );
    await wb.screenshot('workbench-status-bar');
  });

  it('has a Vibewatch container in the activity bar that opens its views', async () => {
    const tab = wb.page.locator('.activitybar [aria-label^="Vibewatch"]').first();
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await tab.click();
    for (const name of ['AI Diffs', 'Errors', 'Alerts', 'Incidents']) {
      await wb.page.locator('.pane-header', { hasText: name }).first().waitFor({ state: 'visible', timeout: 20_000 });
    }
    const headers = await wb.page.locator('.pane-header').allTextContents();
    assert.ok(headers.some((h) => /AI Diffs/i.test(h)), `view headers: ${headers.join(' | ')}`);
    await wb.screenshot('workbench-activity-bar');
  });
});
