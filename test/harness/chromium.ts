// Debian's Chromium driven by playwright-core (Playwright's own browser download does not
// work on these machines). The flags keep Chromium off the network and quiet.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH ?? (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  if (!executablePath) throw new Error('chromium not found: run `bash scripts/ensure-tools.sh` (installs Debian chromium)');
  // A fresh profile per launch; playwright's launch() uses its own temp profile under TMPDIR.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-chromium-'));
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, env: { ...process.env, HOME: tmp, XDG_CONFIG_HOME: tmp, XDG_CACHE_HOME: tmp } });
  browser.on('disconnected', () => fs.rmSync(tmp, { recursive: true, force: true }));
  return browser;
}
