import { strict as assert } from 'node:assert';
import type { Events } from '../../../../collector/live/protocol';
import { panelClientFromLive, type LiveLike } from '../../../../extension/panels/liveAdapter';

function fakeLive(aiDiffs: unknown) {
  const listeners: ((d: Events['changed']) => void)[] = [];
  const calls: [string, unknown][] = [];
  const live: LiveLike = {
    request: async (method, params) => { calls.push([method, params]); return (method === 'aiDiffs' ? aiDiffs : []) as never; },
    on: (_e, cb) => { listeners.push(cb); return () => listeners.splice(listeners.indexOf(cb), 1); },
  };
  return { live, listeners, calls };
}

describe('panel client over the live client', () => {
  it('passes changed topics on (a resync as "refetch everything"), and stops on dispose', () => {
    const f = fakeLive({});
    const seen: string[][] = [];
    const sub = panelClientFromLive(f.live, () => []).onChanged((a) => seen.push(a));
    f.listeners[0]({ files: [], topics: ['spans', 'errors'] });
    f.listeners[0]({ files: [], topics: ['alerts'], resync: true });
    sub.dispose();
    assert.deepEqual(seen, [['spans', 'errors'], []]);
    assert.equal(f.listeners.length, 0);
  });

  it('lists AI-diff files as absolute paths under the repository root', async () => {
    const f = fakeLive({ workspace: '/w/shop', root: '/w/shop', from: 'git', diffs: [{ files: [{ path: 'src/orders.ts', ranges: [] }, { path: 'src/db.ts', ranges: [] }] }] });
    const files = await panelClientFromLive(f.live, () => ['/w/shop']).aiDiffFiles!();
    assert.deepEqual(files, ['/w/shop/src/orders.ts', '/w/shop/src/db.ts']);
    assert.deepEqual(f.calls, [['aiDiffs', { workspace: '/w/shop' }]]);
  });
});
