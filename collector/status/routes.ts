// HTTP routes of the public status page, mounted by the collector server:
//   GET /status            HTML (auto-refreshing)
//   GET /status.json       the public data (whitelisted projection)
//   GET /status/feed.atom  Atom feed of incident updates
// Shapes match collector/server's `Route` ({ prefix, handler, public }); `/status.json` is
// a separate route because a prefix matches only itself and `prefix/…`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { renderAtomFeed } from './feed';
import { toPublicStatus } from './publicView';
import { renderStatusHtml, statusPageCsp } from './render';
import type { PublicStatus, StatusPageOptions } from './types';

export interface StatusRoute {
  prefix: string;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  public: true;
}

export const DEFAULT_STATUS_OPTIONS: StatusPageOptions = { title: 'Service', refreshSec: 30 };

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...extra,
  });
  res.end(body);
}

/** Answers one request if it is a status-page path; returns false when it is not. */
export function statusHandler(getStatus: () => Promise<PublicStatus>, options: Partial<StatusPageOptions> = {}): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const opts = { ...DEFAULT_STATUS_OPTIONS, ...options };
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    if (path !== '/status' && path !== '/status.json' && path !== '/status/feed.atom') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { allow: 'GET, HEAD' });
      return true;
    }
    let status: PublicStatus;
    try {
      status = await getStatus();
    } catch (e) {
      // The reason stays internal: the public page only says it is unavailable.
      console.error(`[vibewatch] status page: ${e instanceof Error ? e.message : String(e)}`);
      send(res, 503, 'text/plain; charset=utf-8', 'Status temporarily unavailable\n', { 'retry-after': '5' });
      return true;
    }
    const host = req.headers.host && /^[\w.:[\]-]+$/.test(req.headers.host) ? `http://${req.headers.host}` : undefined;
    const o = { ...opts, baseUrl: opts.baseUrl ?? host };
    if (path === '/status.json') send(res, 200, 'application/json; charset=utf-8', JSON.stringify(toPublicStatus(status)), { 'access-control-allow-origin': '*' });
    else if (path === '/status/feed.atom') send(res, 200, 'application/atom+xml; charset=utf-8', renderAtomFeed(status, o));
    else {
      const nonce = randomBytes(16).toString('base64');
      send(res, 200, 'text/html; charset=utf-8', renderStatusHtml(status, o, nonce), { 'content-security-policy': statusPageCsp(nonce) });
    }
    return true;
  };
}

/** The routes to mount on the collector server (`parts.routes` or `mountRoute`). */
export function statusRoutes(getStatus: () => Promise<PublicStatus>, options: Partial<StatusPageOptions> = {}): StatusRoute[] {
  const handle = statusHandler(getStatus, options);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    if (!(await handle(req, res))) send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
  };
  return [
    { prefix: '/status', handler, public: true },
    { prefix: '/status.json', handler, public: true },
  ];
}
