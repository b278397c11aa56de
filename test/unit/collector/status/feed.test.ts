import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportStaticStatus } from '../../../../collector/status/export';
import { renderAtomFeed } from '../../../../collector/status/feed';
import { hostileStatus } from './fixture';

describe('status Atom feed and static export', () => {
  it('has one entry per public update, newest first, with escaped text', () => {
    const xml = renderAtomFeed(hostileStatus(), { title: 'Shop & Co', refreshSec: 0, baseUrl: 'http://127.0.0.1:4318' });
    const entries = xml.split('<entry>').slice(1);
    assert.equal(entries.length, 2);
    assert.ok(entries[0].includes('identified'));
    assert.ok(xml.includes('<title>Shop &amp; Co status</title>'));
    assert.ok(xml.includes('&lt;b&gt;now&lt;/b&gt;'));
    assert.ok(!xml.includes('orders.ts'));
  });

  it('drops characters XML cannot carry', () => {
    const s = hostileStatus();
    s.incidents[0].updates[0].message = 'bell\u0007 here';
    const xml = renderAtomFeed(s, { title: 'Shop', refreshSec: 0 });
    assert.ok(xml.includes('bell here'));
    assert.ok(!xml.includes('\u0007'));
  });

  it('exports index.html, status.json and feed.atom with relative links', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vw-status-'));
    try {
      await exportStaticStatus(dir, hostileStatus(), { title: 'Shop' });
      assert.deepEqual((await readdir(dir)).sort(), ['feed.atom', 'index.html', 'status.json']);
      const html = await readFile(join(dir, 'index.html'), 'utf8');
      assert.ok(html.includes('href="feed.atom"'));
      assert.ok(!html.includes('http-equiv="refresh"'));
      assert.equal(JSON.parse(await readFile(join(dir, 'status.json'), 'utf8')).components.length, 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
