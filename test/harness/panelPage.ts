// Serves a built panel exactly as the extension does (same HTML and CSP from
// extension/panels/html.ts) over http://127.0.0.1:<port>, and opens it in Chromium with a
// tiny `acquireVsCodeApi` shim: every postMessage is recorded, requests are answered by a
// test-supplied responder, and the theme's --vscode-* variables are set like VS Code does.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { makeNonce, renderPanelHtml } from '../../extension/panels/html';
import type { HostToPanel, PanelName } from '../../webview/protocol';
import { isPanelToHost } from '../../webview/protocol';
import { repoRoot } from './chromium';
import { THEMES, type ThemeName } from './themes';

export const DIST_WEBVIEW = join(repoRoot(), 'dist', 'webview');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

export interface PanelServer {
  origin: string;
  url(panel: PanelName): string;
  close(): Promise<void>;
}

export async function servePanels(): Promise<PanelServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const m = /^\/panel\/(\w+)$/.exec(path);
    if (m) {
      const html = renderPanelHtml(m[1] as PanelName, origin, (f) => `${origin}/webview/${f}`, makeNonce());
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    if (path.startsWith('/webview/')) {
      const file = normalize(join(DIST_WEBVIEW, path.slice('/webview/'.length)));
      if (!file.startsWith(DIST_WEBVIEW)) { res.writeHead(403).end(); return; }
      readFile(file).then((body) => {
        res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' });
        res.end(body);
      }, () => res.writeHead(404).end());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (panel) => `${origin}/panel/${panel}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Answers a panel's data request; throw to send a `failure`. */
export type Responder = (method: string, params: unknown) => Promise<unknown>;

export interface OpenedPanel {
  page: Page;
  /** Every message the panel posted, in order (ready, requests, openSource…). */
  posted: unknown[];
  /** Sends a host → panel message (e.g. `changed`, `show`). */
  send(message: HostToPanel): Promise<void>;
  /** Console errors and CSP violations seen on the page. */
  problems: string[];
  close(): Promise<void>;
}

/** `state`: webview state as VS Code restores it after a reload (getState()).
 *  `inPageScript`: extra init source that may define `window.__vwLocal(message)` returning a
 *  reply (answered inside the page, no round trip to Node; used by the benchmark). */
export async function openPanel(browser: Browser, server: PanelServer, panel: PanelName, opts: { theme?: ThemeName; respond: Responder; viewport?: { width: number; height: number }; inPageScript?: string; waitUntil?: 'load' | 'commit'; state?: unknown }): Promise<OpenedPanel> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
  const page = await context.newPage();
  const posted: unknown[] = [];
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.exposeFunction('__vwHost', async (m: unknown): Promise<HostToPanel | null> => {
    posted.push(m);
    if (!isPanelToHost(m)) return null;
    if (m.type !== 'request') return null;
    try {
      return { type: 'response', id: m.id, result: await opts.respond(m.method, m.params) };
    } catch (e) {
      return { type: 'failure', id: m.id, message: e instanceof Error ? e.message : String(e) };
    }
  });
  const theme = THEMES[opts.theme ?? 'dark'];
  // Runs before the page's scripts; init scripts are not subject to the page CSP. Passed as
  // source text: tsx would otherwise inject helpers (`__name`) that do not exist in the page.
  await page.addInitScript(`(() => {
    const vars = ${JSON.stringify(theme.vars)};
    const kind = ${JSON.stringify(theme.kind)};
    let state = ${JSON.stringify(opts.state ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => {
        const local = window.__vwLocal && window.__vwLocal(m);
        if (local) { window.postMessage(local, '*'); return; }
        window.__vwHost(m).then((reply) => { if (reply) window.postMessage(reply, '*'); }); },
      getState: () => state,
      setState: (s) => { state = s; },
    });
    const apply = () => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.documentElement.style.setProperty('--vscode-font-family', 'system-ui, sans-serif');
      document.body.classList.add(kind === 'light' ? 'vscode-light' : 'vscode-dark');
    };
    if (document.body) apply(); else document.addEventListener('DOMContentLoaded', apply);
  })();`);
  if (opts.inPageScript) await page.addInitScript(opts.inPageScript);
  await page.goto(server.url(panel), { waitUntil: opts.waitUntil ?? 'load' });
  return {
    page,
    posted,
    problems,
    send: (message) => page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`),
    close: () => context.close(),
  };
}
