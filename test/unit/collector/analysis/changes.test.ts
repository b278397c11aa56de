import { strict as assert } from 'node:assert';
import { DeployTracker } from '../../../../collector/git/deployTracker';
import type { AiDiff } from '../../../../collector/git/types';
import { aiDiffChanges, combineChanges, deployChanges } from '../../../../collector/analysis/changes';
import { emptyBatch } from '../../../../collector/model/types';
import { MemoryState } from './otelHelper';
import { serverSpan } from './modelSpans';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const MIN = 60_000;
const SHA1 = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SHA2 = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

async function trackerWithDeploys(): Promise<DeployTracker> {
  const t = new DeployTracker(new MemoryState());
  for (const [at, rev] of [[T0 - 300 * MIN, SHA1], [T0 - 20 * MIN, SHA2]] as const) {
    const b = emptyBatch();
    const s = serverSpan({ atMs: at });
    s.resource = { ...s.resource, revision: rev, attributes: { ...s.resource.attributes, 'vcs.ref.head.revision': rev } };
    b.spans = [s];
    await t.observe(b);
  }
  return t;
}

function diff(id: string, commit: string | undefined, timeMs: number, state: AiDiff['state'] = 'confirmed'): AiDiff {
  return { id, source: 'trailer', tool: 'claude-code', files: [{ path: 'src/pay.ts', ranges: [] } as never], commit, subject: `change ${id}`, timeMs, confirmedBy: 'trailer', state };
}

describe('analysis/changes', () => {
  it('lists the deploys of the service inside the window, from the git DeployTracker', async () => {
    const c = await deployChanges(await trackerWithDeploys()).changesBefore('shop-api', T0 - 120 * MIN, T0);
    assert.equal(c.length, 1);
    assert.equal(c[0].kind, 'deploy');
    assert.equal(c[0].commit, SHA2);
    assert.match(c[0].text, /now runs 2222222bbbbb \(was 1111111aaaaa\)/);
  });

  it('lists AI diffs shipped by a deploy in the window, or made in it; never dismissed ones', async () => {
    const tracker = await trackerWithDeploys();
    const diffs = [diff('shipped', SHA2.slice(0, 12), T0 - 600 * MIN), diff('recent', undefined, T0 - 5 * MIN), diff('old', SHA1, T0 - 400 * MIN), diff('no', undefined, T0 - 6 * MIN, 'dismissed')];
    const c = await aiDiffChanges(async () => diffs, tracker).changesBefore('shop-api', T0 - 120 * MIN, T0);
    assert.deepEqual(c.map((x) => x.aiDiffId), ['shipped', 'recent']);
    assert.match(c[0].text, /AI diff \(claude-code\) shipped: change shipped/);
    assert.equal(c[0].atMs, T0 - 20 * MIN, 'dated by the deploy that shipped it');
  });

  it('combines sources in time order', async () => {
    const tracker = await trackerWithDeploys();
    const all = await combineChanges(aiDiffChanges(async () => [diff('recent', undefined, T0 - 5 * MIN)]), deployChanges(tracker)).changesBefore('shop-api', T0 - 120 * MIN, T0);
    assert.deepEqual(all.map((x) => x.kind), ['deploy', 'aiDiff']);
  });
});
