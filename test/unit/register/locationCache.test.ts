import { strict as assert } from 'node:assert';
import { LocationCache } from '../../../register/locationCache';
import type { AppFrame } from '../../../register/stackFrame';

const at = (line: number): AppFrame => ({ file: '/app/a.js', line, column: 3 });

describe('register: LocationCache', () => {
  it('reuses the frame of a one-site key between sampled captures', () => {
    const c = new LocationCache({ warmup: 2, every: 4, maxKeys: 10, enabled: true });
    let captures = 0;
    const got = Array.from({ length: 8 }, () => c.get('k', () => (captures++, at(7))));
    assert.ok(got.every((f) => f?.line === 7));
    assert.equal(captures, 4); // uses 1, 2 (warm-up), 4 and 8 (every 4th)
  });

  it('captures every time once a key shows two call sites', () => {
    const c = new LocationCache({ warmup: 2, every: 4, maxKeys: 10, enabled: true });
    c.get('k', () => at(1));
    assert.equal(c.get('k', () => at(2))?.line, 2);
    assert.equal(c.get('k', () => at(1))?.line, 1);
    assert.equal(c.get('k', () => at(2))?.line, 2);
    assert.equal(c.stats.reused, 0);
  });

  it('captures every time without a key or when disabled', () => {
    const off = new LocationCache({ warmup: 1, every: 100, maxKeys: 10, enabled: false });
    for (let i = 0; i < 5; i++) off.get('k', () => at(1));
    assert.equal(off.stats.captures, 5);
    const on = new LocationCache({ warmup: 1, every: 100, maxKeys: 10, enabled: true });
    for (let i = 0; i < 5; i++) on.get(undefined, () => at(1));
    assert.equal(on.stats.captures, 5);
  });
});
