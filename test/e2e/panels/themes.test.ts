// Every panel in VS Code's light and dark theme variables: it renders its data without
// console errors or CSP violations, its colours follow the theme, and a screenshot of each
// is saved to test-artifacts/ for a person to look at.
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshot } from '../../harness/chromium';
import { openPanel, servePanels, type PanelServer } from '../../harness/panelPage';
import type { ThemeName } from '../../harness/themes';
import { PANEL_NAMES, type PanelName } from '../../../webview/protocol';
import { ensurePanelsBuilt } from './build';
import { startCollectorWithDemo, waitFor, type CollectorFixture } from './collectorFixture';
import { sendCheckoutFailures } from './demoTelemetry';

const LOADED: Record<PanelName, string> = {
  traces: 'data-traces-loaded', logs: 'data-logs-loaded', errors: 'data-groups-loaded', alerts: 'data-alerts-loaded',
  incidents: 'data-incidents-loaded', metrics: 'data-series-loaded', status: 'data-status-rendered',
};

describe('panels in light and dark themes (Chromium, real collector data)', () => {
  let browser: Browser;
  let server: PanelServer;
  let fx: CollectorFixture;

  before(async () => {
    ensurePanelsBuilt();
    fx = await startCollectorWithDemo();
    await sendCheckoutFailures(fx.url, 6);
    await waitFor(async () => (await fx.client.request('incidents', { open: true })).length > 0, 'the checkout incident', 15_000);
    server = await servePanels();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await fx?.stop();
  });

  for (const name of PANEL_NAMES) {
    it(`${name}: renders in both themes with theme colours`, async () => {
      const backgrounds: Record<ThemeName, string> = { light: '', dark: '' };
      for (const theme of ['light', 'dark'] as const) {
        const p = await openPanel(browser, server, name, { theme, respond: fx.respond });
        try {
          await p.page.waitForSelector(`body[${LOADED[name]}]`, { state: 'attached' });
          const first = p.page.locator('.vrow:visible').first();
          if (await first.count()) await first.click(); // open the first item: detail views too
          await p.page.waitForTimeout(300);
          backgrounds[theme] = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          await screenshot(p.page, `panel-${name}-${theme}`);
          assert.deepEqual(p.problems, []);
        } finally {
          await p.close();
        }
      }
      assert.equal(backgrounds.light, 'rgb(255, 255, 255)');
      assert.equal(backgrounds.dark, 'rgb(31, 31, 31)');
    });
  }
});
