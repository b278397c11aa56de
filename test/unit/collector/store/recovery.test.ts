import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spanBatch } from './batches';
import { harness } from './storeHarness';
import type { Harness } from './storeHarness';

const J1 = 'journal-00000001.log';

describe('SqlStore recovery', () => {
  let h: Harness;
  const now = Date.now();
  beforeEach(() => { h = harness(); });
  afterEach(() => h.cleanup());

  it('skips a truncated journal tail with a log line and recovers the batches before it', async () => {
    const s = await h.open();
    for (let i = 0; i < 5; i++) await s.consume(spanBatch(now + i, 4));
    await h.crash(s);
    const path = join(h.dir, J1);
    truncateSync(path, statSync(path).size - 10);
    const s2 = await h.open();
    const st = await s2.stats();
    assert.equal(st.spans, 4 * 4 * 3);
    assert.equal(st.corruptSkipped, 1);
    assert.equal(h.logs.filter((l) => l.event === 'journal.corruptSkipped').length, 1);
  });

  it('keeps appending readable records after recovering from a corrupt journal', async () => {
    const s = await h.open();
    for (let i = 0; i < 3; i++) await s.consume(spanBatch(now + i, 2));
    await h.crash(s);
    const path = join(h.dir, J1);
    const buf = readFileSync(path);
    buf[buf.length - 5] ^= 0xff;
    writeFileSync(path, buf);
    const s2 = await h.open();
    await s2.consume(spanBatch(now + 10, 2));
    await h.crash(s2);
    const s3 = await h.open();
    const st = await s3.stats();
    assert.equal(st.spans, 3 * 2 * 3, 'two old batches and the new one');
    assert.equal(st.corruptSkipped, 0, 'the journal was rewritten clean');
  });

  it('does not duplicate a batch when the process died after sealing but before deleting the journal', async () => {
    const s = await h.open();
    await s.consume(spanBatch(now, 5));
    copyFileSync(join(h.dir, J1), join(h.dir, 'saved'));
    await s.roll();
    await s.consume(spanBatch(now + 1, 5));
    await h.crash(s);
    copyFileSync(join(h.dir, 'saved'), join(h.dir, J1));
    rmSync(join(h.dir, 'saved'));
    const s2 = await h.open();
    assert.equal((await s2.stats()).spans, 30);
    assert.equal((await s2.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12)!.calls, 10);
    assert.equal(existsSync(join(h.dir, J1)), false);
  });

  it('seals an older journal left unsealed by a crash during sealing, then continues', async () => {
    const s = await h.open();
    await s.consume(spanBatch(now, 5));
    copyFileSync(join(h.dir, J1), join(h.dir, 'saved'));
    await s.roll();
    await s.consume(spanBatch(now + 1, 5));
    await h.crash(s);
    // The seal never reached the disk: no segment file, journal 1 still there.
    for (const n of readdirSync(h.dir)) if (n.startsWith('seg-00000001')) rmSync(join(h.dir, n));
    copyFileSync(join(h.dir, 'saved'), join(h.dir, J1));
    rmSync(join(h.dir, 'saved'));
    const s2 = await h.open();
    assert.equal((await s2.stats()).spans, 30);
    assert.ok(existsSync(join(h.dir, 'seg-00000001.db')));
    assert.equal(existsSync(join(h.dir, J1)), false);
    await s2.consume(spanBatch(now + 2, 5));
    await h.crash(s2);
    const s3 = await h.open();
    assert.equal((await s3.stats()).spans, 45);
    assert.equal((await s3.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12)!.calls, 15);
  });

  it('removes temp files a crash left behind and ignores a sidecar without its segment', async () => {
    writeFileSync(join(h.dir, 'seg-00000007.db.123.1.tmp'), 'partial');
    writeFileSync(join(h.dir, 'seg-00000007.meta.json'), '{}');
    const s = await h.open();
    assert.deepEqual(readdirSync(h.dir).filter((n) => n.startsWith('seg-')), []);
    assert.equal((await s.stats()).spans, 0);
  });

  it('sets aside an unreadable segment, checkpoint or state file and starts anyway', async () => {
    const s = await h.open();
    await s.consume(spanBatch(now, 2));
    await s.roll();
    await s.consume(spanBatch(now + 1, 3));
    await s.putState('k', 1);
    await s.shutdown();
    writeFileSync(join(h.dir, 'seg-00000001.db'), 'not a database');
    rmSync(join(h.dir, 'seg-00000001.meta.json'));
    writeFileSync(join(h.dir, 'aggregates.json'), '{"version":1,');
    writeFileSync(join(h.dir, 'state.json'), '{');
    const s2 = await h.open();
    assert.equal((await s2.stats()).spans, 9, 'segment 2 only');
    assert.ok(existsSync(join(h.dir, 'seg-00000001.db.bad')));
    assert.deepEqual(h.logs.filter((l) => l.event === 'store.fileUnreadable').length, 2);
    assert.deepEqual(h.logs.filter((l) => l.event === 'segment.unreadable').length, 1);
    await s2.consume(spanBatch(now + 2, 1));
    assert.deepEqual(await s2.filesWithData(), ['/work/shop/src/orders.ts']);
  });
});
