import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { harness } from './storeHarness';
import type { Harness } from './storeHarness';
import { TRACES_PER_BATCH, traceIdOf } from './crashChild';

/** Runs the child until it has acknowledged some batches, then SIGKILLs it at a random moment. */
function runAndKill(dir: string, firstId: number, killAfterMs: number, sample = false): Promise<{ acked: number[]; maxId: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'crashChild.ts'), dir, String(firstId), ...(sample ? ['sample'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buf = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        else if (l.startsWith('ack ')) acked.push(Number(l.slice(4)));
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${err}`));
      else resolve({ acked, maxId: firstId + acked.length + 64 });
    });
  });
}

describe('SqlStore under kill -9', function () {
  this.timeout(120_000);
  let h: Harness;
  beforeEach(() => { h = harness(); });
  afterEach(() => h.cleanup());

  it('keeps every acknowledged batch exactly once across repeated SIGKILLs', async () => {
    const acked: number[] = [];
    const ranges: [number, number][] = [];
    for (let run = 0; run < 4; run++) {
      const first = run * 1_000_000 + 1;
      const r = await runAndKill(h.dir, first, 400 + Math.floor(Math.random() * 1200));
      acked.push(...r.acked);
      ranges.push([first, r.maxId]);
    }
    assert.ok(acked.length > 50, `only ${acked.length} batches acknowledged before the kills`);
    const s = await h.open({ worker: true });
    // Every acknowledged batch: all of its traces, each with exactly its 3 spans.
    for (const id of acked) {
      for (let k = 0; k < TRACES_PER_BATCH; k++) {
        const spans = await s.trace(traceIdOf(id, k));
        assert.equal(spans.length, 3, `batch ${id} trace ${k}: ${spans.length} spans`);
      }
    }
    // Nothing duplicated anywhere: the stored spans are exactly the batches present, once.
    let present = 0;
    for (const [first, last] of ranges) {
      for (let id = first; id <= last; id++) {
        const n = (await s.trace(traceIdOf(id, 1))).length;
        assert.ok(n === 0 || n === 3, `batch ${id}: ${n} spans`);
        if (n) present++;
      }
    }
    const st = await s.stats();
    assert.equal(st.spans, present * TRACES_PER_BATCH * 3);
    // The aggregates counted each present batch once too (root spans sit on line 12).
    const line12 = (await s.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12)!;
    assert.equal(line12.calls, present * TRACES_PER_BATCH);
    assert.equal(line12.errors, present);
  });

  it('keeps error traces and exact aggregates across SIGKILLs while sampling raw spans', async () => {
    const acked: number[] = [];
    const ranges: [number, number][] = [];
    for (let run = 0; run < 3; run++) {
      const first = run * 1_000_000 + 1;
      const r = await runAndKill(h.dir, first, 400 + Math.floor(Math.random() * 1000), true);
      acked.push(...r.acked);
      ranges.push([first, r.maxId]);
    }
    assert.ok(acked.length > 50, `only ${acked.length} batches acknowledged before the kills`);
    const s = await h.open({ worker: true });
    for (const id of acked) assert.equal((await s.trace(traceIdOf(id, 0))).length, 3, `error trace of batch ${id}`);
    // Every journaled batch (acknowledged or not) has its error trace once; the aggregates
    // counted exactly those batches, sampled spans included.
    let journaled = 0;
    for (const [first, last] of ranges) {
      for (let id = first; id <= last; id++) {
        const n = (await s.trace(traceIdOf(id, 0))).length;
        assert.ok(n === 0 || n === 3, `batch ${id}: ${n} spans`);
        if (n) journaled++;
      }
    }
    const st = await s.stats();
    assert.equal(st.spans, journaled * 3, 'only error traces are stored raw');
    const line12 = (await s.fileSummary('/work/shop/src/orders.ts')).lines.find((l) => l.line === 12)!;
    assert.equal(line12.errors, journaled);
    assert.equal(line12.calls, journaled * TRACES_PER_BATCH);
  });
});
