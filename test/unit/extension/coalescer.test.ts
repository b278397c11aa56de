import { strict as assert } from 'node:assert';
import { Coalescer } from '../../../extension/coalescer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Coalescer', () => {
  it('runs once for a burst of schedules', async () => {
    let runs = 0;
    const c = new Coalescer(() => runs++, 20);
    for (let i = 0; i < 10; i++) c.schedule();
    await sleep(60);
    assert.equal(runs, 1);
    assert.equal(c.pending, false);
  });

  it('moves a pending run earlier when a sooner one is asked for, never later', async () => {
    let ranAt = 0;
    const t0 = Date.now();
    const c = new Coalescer(() => (ranAt = Date.now() - t0));
    c.schedule(2000);
    c.schedule(10);
    c.schedule(5000);
    await sleep(100);
    assert.ok(ranAt > 0 && ranAt < 1000, `ran at ${ranAt} ms`);
  });

  it('runs nothing after dispose', async () => {
    let runs = 0;
    const c = new Coalescer(() => runs++);
    c.schedule(10);
    c.dispose();
    await sleep(40);
    assert.equal(runs, 0);
  });
});
