// A full disk, simulated at the store's file-call boundaries (the journal's write/fdatasync,
// the engine's segment file writes): what was acknowledged stays queryable, and a batch that
// was rejected (→ 503, which the exporter retries) is stored nowhere, not after a restart
// either. Issue 13: with a full disk 815 of 879 acknowledged batches were missing from
// queries until a restart, and batches answered 503 were stored anyway.
import { strict as assert } from 'node:assert';
import { nodeJournalFs, type JournalFs } from '../../../../collector/store/journal';
import { writeFileAtomic } from '../../../../collector/store/atomicFile';
import { makeTrace, spanBatch } from './batches';
import { harness } from './storeHarness';
import type { Harness } from './storeHarness';

const FILE = '/work/shop/src/orders.ts';
const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** The real file calls, failing while `full` is set: a write puts half of its bytes on disk
 *  and then fails, as a write that runs out of space does. */
function fullDisk(): { fs: JournalFs; full: boolean; failSync: boolean } {
  const state = {
    full: false,
    failSync: false,
    fs: {
      async write(fd, buf, offset, length) {
        if (!state.full) return nodeJournalFs.write(fd, buf, offset, length);
        if (length > 1) await nodeJournalFs.write(fd, buf, offset, Math.floor(length / 2));
        throw enospc();
      },
      async fdatasync(fd) {
        if (state.failSync) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        return nodeJournalFs.fdatasync(fd);
      },
      ftruncate: (fd, len) => nodeJournalFs.ftruncate(fd, len),
    } as JournalFs,
  };
  return state;
}

const traceIds = async (s: { traces(f: object): Promise<{ traceId: string }[]> }): Promise<string[]> => (await s.traces({ limit: 1000 })).map((t) => t.traceId).sort();

describe('SqlStore with a full disk', () => {
  let h: Harness;
  const now = Date.now();
  beforeEach(() => { h = harness(); });
  afterEach(() => h.cleanup());

  it('stores a batch whose journal write fails nowhere: not in queries, aggregates or after a restart', async () => {
    const disk = fullDisk();
    const s = await h.open({ journalFs: disk.fs });
    const a = makeTrace({ startMs: now, file: FILE });
    const b = makeTrace({ startMs: now + 1, file: FILE });
    const c = makeTrace({ startMs: now + 2, file: FILE });
    await s.consume({ ...spanBatch(now, 0), spans: a });
    disk.full = true;
    await assert.rejects(s.consume({ ...spanBatch(now, 0), spans: b }), /ENOSPC/);
    disk.full = false;
    await s.consume({ ...spanBatch(now, 0), spans: c });
    const want = [a[0].traceId, c[0].traceId].sort();
    assert.deepEqual(await traceIds(s), want);
    const calls = (await s.fileSummary(FILE)).lines.reduce((n, l) => n + l.calls, 0);
    assert.equal(calls, a.length + c.length, 'the failed batch is not in the aggregates');
    await s.shutdown();
    const again = await h.open();
    assert.deepEqual(await traceIds(again), want, 'the failed batch does not come back from the journal');
    assert.equal((await again.stats()).spans, a.length + c.length);
  });

  it('does not replay a batch whose fsync failed although its bytes reached the file', async () => {
    const disk = fullDisk();
    const s = await h.open({ journalFs: disk.fs });
    const a = makeTrace({ startMs: now });
    const b = makeTrace({ startMs: now + 1 });
    await s.consume({ ...spanBatch(now, 0), spans: a });
    disk.failSync = true;
    await assert.rejects(s.consume({ ...spanBatch(now, 0), spans: b }), /EIO/);
    disk.failSync = false;
    await h.crash(s);
    const again = await h.open();
    assert.deepEqual(await traceIds(again), [a[0].traceId]);
  });

  it('keeps acknowledged batches queryable when their segment file cannot be written, and writes it later', async () => {
    let full = false;
    const writeFile = (path: string, data: string | Uint8Array): Promise<void> => (full && /seg-\d+\.(db|meta\.json)$/.test(path) ? Promise.reject(enospc()) : writeFileAtomic(path, data));
    const s = await h.open({ engineWriteFile: writeFile });
    const acked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const spans = makeTrace({ startMs: now + i });
      await s.consume({ ...spanBatch(now, 0), spans });
      acked.push(spans[0].traceId);
    }
    full = true;
    await assert.rejects(s.roll(), /ENOSPC/);
    assert.deepEqual(await traceIds(s), [...acked].sort(), 'sealed in memory, still answered');
    assert.equal((await s.trace(acked[0])).length, 3);
    full = false;
    const later = makeTrace({ startMs: now + 10 });
    await s.consume({ ...spanBatch(now, 0), spans: later });
    acked.push(later[0].traceId);
    await s.roll();
    assert.ok(h.logs.some((l) => l.event === 'segment.sealed' && l.fields.retried === true), 'the unsaved segment is written once there is space');
    await s.shutdown();
    const again = await h.open();
    assert.deepEqual(await traceIds(again), [...acked].sort());
    assert.equal((await again.stats()).spans, acked.length * 3, 'each batch exactly once');
  });
});
