// The analysis lease (store/stateLease.ts) over an in-memory state with a settable clock:
// the oldest live candidate holds; a newcomer does not take a held lease; when the holder
// stops renewing (or releases) the next oldest takes over; a holder that stalled past its
// expiry has lost, even if nobody claimed in between.
import { strict as assert } from 'node:assert';
import { StateLease, type LeaseState } from '../../../../collector/store/stateLease';

function memoryState(): LeaseState {
  const m = new Map<string, unknown>();
  return {
    async getState<T>(key: string) { return m.get(key) as T | undefined; },
    async putState(key: string, value: unknown) { if (value === undefined) m.delete(key); else m.set(key, JSON.parse(JSON.stringify(value))); },
    async listState<T>(prefix: string) { return [...m.entries()].filter(([k]) => k.startsWith(prefix)).map(([key, value]) => ({ key, value: value as T })); },
  };
}

describe('StateLease: the oldest live candidate holds the team role', () => {
  let clock = 1_000_000;
  const now = () => clock;
  const lease = (state: LeaseState, holder: string) => new StateLease({ state, key: 'lease:analysis', holder: () => holder, ttlMs: 3_000, settleMs: 1, now });

  it('the first candidate holds; a later one stands by, also after renewing', async () => {
    const state = memoryState();
    const a = lease(state, 'aaaa');
    const b = lease(state, 'bbbb');
    assert.equal(await a.tryAcquire(), true);
    clock += 10;
    assert.equal(await b.tryAcquire(), false);
    clock += 1_000;
    assert.equal(await a.renew(), true);
    assert.equal(await b.tryAcquire(), false);
    assert.equal(await b.holder(), 'aaaa');
  });

  it('two candidates claiming at the same moment agree on one holder', async () => {
    const state = memoryState();
    const a = lease(state, 'aaaa');
    const b = lease(state, 'bbbb');
    const [x, y] = await Promise.all([b.tryAcquire(), a.tryAcquire()]);
    assert.equal([x, y].filter(Boolean).length, 1);
    assert.equal(await a.holder(), await b.holder());
  });

  it('when the holder stops renewing, the next oldest takes over after the expiry, and the old holder has lost', async () => {
    const state = memoryState();
    const a = lease(state, 'aaaa');
    const b = lease(state, 'bbbb');
    const c = lease(state, 'cccc');
    await a.tryAcquire();
    clock += 10;
    await b.tryAcquire();
    clock += 10;
    await c.tryAcquire();
    // a stalls; the standbys keep renewing their rows.
    for (let i = 0; i < 3; i++) {
      clock += 1_000;
      await b.tryAcquire();
      await c.tryAcquire();
    }
    clock += 100;
    assert.equal(await b.tryAcquire(), true, 'b is the oldest live candidate');
    assert.equal(await c.tryAcquire(), false);
    // a wakes up past its expiry: it must not act again, even though its `since` is oldest.
    assert.equal(await a.renew(), false);
    assert.equal(a.held, false);
  });

  it('release hands the role over at once', async () => {
    const state = memoryState();
    const a = lease(state, 'aaaa');
    const b = lease(state, 'bbbb');
    await a.tryAcquire();
    clock += 10;
    assert.equal(await b.tryAcquire(), false);
    await a.release();
    assert.equal(await b.tryAcquire(), true);
  });
});
