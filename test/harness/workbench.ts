// Opens the real VS Code workbench (code-server) in Chromium on a folder, with this
// repository loaded as the development extension — what a person would see. Used by the
// browser end-to-end tests; screenshots go to test-artifacts/.
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { startCodeServer, type CodeServer } from './codeServer';
import { artifactsDir, repoRoot } from './tools';

export interface Workbench {
  page: Page;
  server: CodeServer;
  browser: Browser;
  log: string[];
  screenshot(name: string): Promise<string>;
  dispose(): Promise<void>;
}

export interface WorkbenchOptions {
  env?: Record<string, string>;
  /** Install these .vsix files instead of loading the repository as a development extension. */
  installVsix?: string[];
}

export async function openWorkbench(folder: string, opts: WorkbenchOptions = {}): Promise<Workbench> {
  const log: string[] = [];
  const server = await startCodeServer({ log: (l) => log.push(l), installVsix: opts.installVsix });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => log.push(`[browser:${m.type()}] ${m.text()}`));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload: [string, string][] = opts.installVsix ? [] : [['extensionDevelopmentPath', remote(repoRoot())]];
    if (opts.env) payload.push(['extensionEnvironment', JSON.stringify(opts.env)]);
    await page.goto(server.urlFor(folder, payload.length ? payload : undefined));
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const b = browser;
    return {
      page,
      server,
      browser: b,
      log,
      async screenshot(name) {
        const file = path.join(artifactsDir('screenshots'), `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async dispose() {
        await b.close();
        await server.dispose();
      },
    };
  } catch (err) {
    await browser?.close();
    await server.dispose();
    throw err;
  }
}

/** Opens a file through the quick-open box, as a person would. Right after the workbench
 *  loads, quick open may not have indexed the folder yet: try again a few times. */
export async function openFileInWorkbench(page: Page, relativePath: string, attempts = 4): Promise<void> {
  const tab = page.locator(`.tab[data-resource-name="${path.basename(relativePath)}"]`);
  for (let i = 1; ; i++) {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(relativePath);
    await page.waitForTimeout(400 * i);
    await page.keyboard.press('Enter');
    try {
      await tab.first().waitFor({ state: 'visible', timeout: 10_000 });
      return;
    } catch (err) {
      if (i >= attempts) throw err;
      await page.keyboard.press('Escape');
    }
  }
}
