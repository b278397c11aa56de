// End to end through OTLP/HTTP with the real sql.js store: on a full disk (journal writes
// fail at the store's file-call boundary) the batch is answered 503 + Retry-After and not
// stored, so the exporter's retry stores it exactly once; what was answered 200 is queryable.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeJournalFs, type JournalFs } from '../../../../collector/store/journal';
import { SqlStore } from '../../../../collector/store/sqlStore';
import { post, startCollector, type Running } from './harness';

const TRACE_A = '5b8efff798038103d269b633813fc60c';
const TRACE_B = '0af7651916cd43dd8448eb211c80319c';
const body = (traceId: string) => {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeSpans: [{ spans: [{ traceId, spanId: 'eee19b7ec3c1b174', name: 'GET /pay', kind: 2, startTimeUnixNano: now, endTimeUnixNano: now }] }] }] });
};
const JSON_CT = { 'content-type': 'application/json' };

describe('OTLP/HTTP on a full disk (real store)', () => {
  let c: Running | undefined;
  let dir: string;
  afterEach(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 for a batch it could not journal and stores its retry exactly once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vw-full-'));
    let full = false;
    const fs: JournalFs = {
      write: (fd, buf, off, len) => (full ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : nodeJournalFs.write(fd, buf, off, len)),
      fdatasync: (fd) => nodeJournalFs.fdatasync(fd),
      ftruncate: (fd, len) => nodeJournalFs.ftruncate(fd, len),
    };
    const store = new SqlStore({ dir, worker: false, journalFs: fs, log: () => undefined });
    c = await startCollector({}, { store: store as never });
    assert.equal((await post(c.url, '/v1/traces', body(TRACE_A), JSON_CT)).status, 200);
    full = true;
    const refused = await post(c.url, '/v1/traces', body(TRACE_B), JSON_CT);
    assert.equal(refused.status, 503);
    assert.ok(refused.headers['retry-after']);
    full = false;
    assert.equal((await post(c.url, '/v1/traces', body(TRACE_B), JSON_CT)).status, 200, 'the exporter retries');
    const traces = await store.traces({});
    assert.deepEqual(traces.map((t) => [t.traceId, t.spanCount]).sort(), [[TRACE_B, 1], [TRACE_A, 1]].sort());
    assert.equal((await store.stats()).spans, 2);
  });
});
