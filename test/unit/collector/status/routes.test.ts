import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { statusRoutes } from '../../../../collector/status/routes';
import type { PublicStatus } from '../../../../collector/status/types';
import { hostileStatus } from './fixture';

async function serve(getStatus: () => Promise<PublicStatus>): Promise<{ url: string; server: Server }> {
  const routes = statusRoutes(getStatus, { title: 'Shop', refreshSec: 10 });
  // Mounted the way collector/server does: a prefix matches itself and `prefix/…`.
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const r = routes.find((x) => path === x.prefix || path.startsWith(`${x.prefix}/`));
    if (r) void r.handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('status routes', () => {
  let s: { url: string; server: Server };
  let fail = false;
  before(async () => { s = await serve(async () => { if (fail) throw new Error('analysis down at /home/dev/x.ts'); return hostileStatus(); }); });
  after(() => new Promise<void>((r) => s.server.close(() => r())));

  it('serves the HTML page with a nonce CSP header and no caching', async () => {
    const res = await fetch(`${s.url}/status`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /nonce-([^']+)/.exec(csp)![1];
    assert.ok((await res.text()).includes(`<style nonce="${nonce}">`));
  });

  it('serves the public JSON and the Atom feed', async () => {
    const json = await (await fetch(`${s.url}/status.json`)).json() as PublicStatus;
    assert.equal(json.components.length, 2);
    const feed = await fetch(`${s.url}/status/feed.atom`);
    assert.match(feed.headers.get('content-type') ?? '', /application\/atom\+xml/);
    assert.match(await feed.text(), new RegExp(`<link rel="self" type="application/atom\\+xml" href="${s.url}/status/feed.atom"/>`));
  });

  it('refuses writes and unknown subpaths', async () => {
    assert.equal((await fetch(`${s.url}/status`, { method: 'POST', body: 'x' })).status, 405);
    assert.equal((await fetch(`${s.url}/status/secret`)).status, 404);
  });

  it('answers 503 without internal detail when the status cannot be computed', async () => {
    fail = true;
    const orig = console.error;
    console.error = () => {};
    try {
      const res = await fetch(`${s.url}/status`);
      assert.equal(res.status, 503);
      assert.ok(!(await res.text()).includes('/home/dev'));
    } finally {
      console.error = orig;
      fail = false;
    }
  });
});
