import { strict as assert } from 'node:assert';
import { DeployTracker } from '../../../../../collector/git/deployTracker';
import type { AiDiff } from '../../../../../collector/git/types';
import { aiDiffChanges, combineChanges, deployChanges } from '../../../../../collector/analysis/incidents/changes';
import { MemoryState } from '../otelHelper';
import { batchOf, resource, serverSpan } from '../../../../harness/spans';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const MIN = 60_000;
const SHA1 = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SHA2 = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

async function trackerWithDeploys(): Promise<DeployTracker> {
  const t = new DeployTracker(new MemoryState());
  for (const [at, rev] of [[T0 - 300 * MIN, SHA1], [T0 - 20 * MIN, SHA2]] as const) {
    await t.observe(batchOf([serverSpan({ atMs: at, service: resource('shop-api', { 'vcs.ref.head.revision': rev }, rev) })]));
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

  it('suspects AI diffs in the running revision by ancestry, those whose functions fail first', async () => {
    const tracker = await trackerWithDeploys();
    // SHA2 runs; both diffs are ancestors of it (neither equals a deploy SHA), neither is in SHA1.
    const culprit = { ...diff('culprit', 'c'.repeat(40), T0 - 900 * MIN), files: [{ path: 'src/pay.ts', ranges: [{ start: 5, end: 6, hash: 'h' }] }] };
    const other = diff('other', 'd'.repeat(40), T0 - 901 * MIN);
    const unrelated = diff('outside', 'a'.repeat(40), T0 - 902 * MIN);
    const sideOf = async (d: AiDiff, rev: string) => (d.id === 'outside' ? 'before' : rev === SHA2 ? 'after' : 'before') as 'before' | 'after';
    const unitsOf = async (d: AiDiff) => (d.id === 'culprit' ? [{ file: '/ws/src/pay.ts', name: 'pay', start: 3, end: 9 }] : [{ file: '/ws/src/other.ts', name: 'other', start: 1, end: 4 }]);
    const c = await aiDiffChanges(async () => [other, culprit, unrelated], tracker, { sideOf, unitsOf }).changesBefore('shop-api', T0 - 120 * MIN, T0, { failing: [{ file: '/ws/src/pay.ts', line: 8 }] });
    assert.deepEqual(c.map((x) => x.aiDiffId), ['other', 'culprit'], 'the diff not in the running revision is left out');
    const ranked = c.filter((x) => x.suspect).sort((a, b) => b.suspect!.score - a.suspect!.score);
    assert.equal(ranked[0].aiDiffId, 'culprit');
    assert.match(ranked[0].suspect!.why, /in the running revision 2222222; its pay\(\) is in the failing frames/);
    assert.match(ranked[1].suspect!.why, /shipped 2222222/);
  });

  it('combines sources in time order', async () => {
    const tracker = await trackerWithDeploys();
    const all = await combineChanges(aiDiffChanges(async () => [diff('recent', undefined, T0 - 5 * MIN)]), deployChanges(tracker)).changesBefore('shop-api', T0 - 120 * MIN, T0);
    assert.deepEqual(all.map((x) => x.kind), ['deploy', 'aiDiff']);
  });
});
