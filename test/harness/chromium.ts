// The shared Chromium launcher for browser tests and benchmarks: Debian's Chromium via
// playwright-core. Playwright gives the browser its own temporary profile (it refuses a
// --user-data-dir in args); HOME and XDG dirs also point into a temp dir so nothing is
// written to the real home. The temp dir is removed when the browser closes.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.VIBEWATCH_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
/** The repository root, found upwards from this file (works from source and from dist/ bundles). */
export function repoRoot(from = __dirname): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'scripts', 'build.mjs'))) return d;
    if (dirname(d) === d) return process.cwd();
  }
}
export const ARTIFACTS_DIR = join(repoRoot(), 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  const home = mkdtempSync(join(tmpdir(), 'vw-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
  });
  const close = browser.close.bind(browser);
  browser.close = async (...a: Parameters<Browser['close']>) => {
    try {
      await close(...a);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };
  return browser;
}

/** Saves a screenshot to test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
