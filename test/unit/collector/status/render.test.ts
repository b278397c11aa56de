import { strict as assert } from 'node:assert';
import { renderStatusHtml, uptimeWindow } from '../../../../collector/status/render';
import { toPublicStatus } from '../../../../collector/status/publicView';
import { hostileStatus, NOW } from './fixture';

const opts = { title: 'Shop', refreshSec: 5 };

describe('status page renderer', () => {
  it('escapes markup in component names and incident text', () => {
    const html = renderStatusHtml(hostileStatus(), opts, 'n0nce');
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.ok(html.includes('Public API &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;b&gt;now&lt;/b&gt;'));
  });

  it('removes stack frames and file paths from public text', () => {
    const html = renderStatusHtml(hostileStatus(), opts, 'n0nce');
    for (const leak of ['orders.ts', '/home/dev', 'node_modules', 'at placeOrder', 'C:\\work', 'db.ts']) assert.ok(!html.includes(leak), `leaked ${leak}`);
    assert.ok(html.includes('We see errors: TypeError: x is undefined'));
  });

  it('draws 90 uptime bars per component ending today', () => {
    const html = renderStatusHtml(hostileStatus(), opts, 'n0nce');
    const api = html.slice(html.indexOf('id="c-api"'), html.indexOf('id="c-web"'));
    assert.equal((api.match(/class="bar /g) ?? []).length, 90);
    assert.equal((api.match(/class="bar major"/g) ?? []).length, 1);
    const w = uptimeWindow([], NOW);
    assert.equal(w[89].date, new Date(NOW).toISOString().slice(0, 10));
  });

  it('shows each component state and the open incident with its updates', () => {
    const html = renderStatusHtml(hostileStatus(), opts, 'n0nce');
    assert.match(html, /id="c-api" data-status="partial_outage"/);
    assert.match(html, /id="c-web" data-status="operational"/);
    assert.match(html, /id="i-inc-7" data-state="identified"/);
    assert.ok(html.includes('Checkout errors &amp; &quot;timeouts&quot;'));
  });

  it('refreshes itself and allows only its nonce for styles', () => {
    const html = renderStatusHtml(hostileStatus(), opts, 'n0nce');
    assert.ok(html.includes('<meta http-equiv="refresh" content="5">'));
    assert.ok(html.includes('style-src &#39;nonce-n0nce&#39;'));
    assert.ok(html.includes('<style nonce="n0nce">'));
    assert.ok(!/<script/i.test(html.replace(/&lt;script/g, '')));
  });

  it('publishes only whitelisted fields', () => {
    const raw = hostileStatus() as unknown as { components: Record<string, unknown>[] };
    raw.components[0].attributes = { 'db.statement': 'SELECT secret' };
    const pub = toPublicStatus(raw as never);
    assert.ok(!JSON.stringify(pub).includes('SELECT secret'));
    assert.deepEqual(Object.keys(pub.components[0]).sort(), ['history', 'id', 'name', 'status', 'uptime90d']);
  });
});
