import { strict as assert } from 'node:assert';
import { Disposable } from '../../../extension/disposable';

class Owner extends Disposable {
  own(...items: { dispose(): unknown }[]): void {
    this.register(...items);
  }
}

describe('Disposable base (extension)', () => {
  it('releases everything once, newest first, even when one release throws', () => {
    const order: string[] = [];
    const o = new Owner();
    o.own({ dispose: () => order.push('a') }, { dispose: () => { order.push('b'); throw new Error('boom'); } });
    o.own({ dispose: () => order.push('c') });
    o.dispose();
    o.dispose();
    assert.deepEqual(order, ['c', 'b', 'a']);
  });

  it('releases at once what is registered after dispose', () => {
    const o = new Owner();
    o.dispose();
    let released = false;
    o.own({ dispose: () => (released = true) });
    assert.equal(released, true);
  });
});
