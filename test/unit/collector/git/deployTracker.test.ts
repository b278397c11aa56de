import { strict as assert } from 'node:assert';
import { MemoryState } from '../../../../collector/git/aiDiffService';
import { DeployTracker } from '../../../../collector/git/deployTracker';
import { revisionFromAttributes } from '../../../../collector/model/revision';
import { emptyBatch, SpanKind, StatusCode, type Attributes, type TelemetryBatch } from '../../../../collector/model/types';

function batch(service: string, attrs: Attributes, startMs: number): TelemetryBatch {
  const b = emptyBatch(BigInt(startMs + 5) * 1_000_000n);
  b.spans.push({
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'GET /orders', kind: SpanKind.Server,
    startNs: BigInt(startMs) * 1_000_000n, endNs: BigInt(startMs + 3) * 1_000_000n, status: { code: StatusCode.Unset },
    attributes: {}, events: [], links: [], scope: { name: 'test' },
    resource: { attributes: { 'service.name': service, ...attrs }, serviceName: service },
  });
  return b;
}
const SHA1 = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';
const SHA2 = 'b1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';

describe('revision from resource attributes', () => {
  it('prefers vcs.ref.head.revision over the other attributes', () => {
    assert.deepEqual(revisionFromAttributes({ 'vcs.ref.head.revision': SHA1, 'git.commit.sha': SHA2, 'service.version': '1.0.0' }), { revision: SHA1, kind: 'sha', attribute: 'vcs.ref.head.revision' });
  });

  it('reads vcs.repository.ref.revision and git.commit.sha', () => {
    assert.equal(revisionFromAttributes({ 'vcs.repository.ref.revision': SHA2 })?.attribute, 'vcs.repository.ref.revision');
    assert.equal(revisionFromAttributes({ 'git.commit.sha': 'ABC1234' })?.revision, 'abc1234');
  });

  it('takes service.version only when it is a SHA or a tag', () => {
    assert.deepEqual(revisionFromAttributes({ 'service.version': 'v2.3.1' }), { revision: 'v2.3.1', kind: 'tag', attribute: 'service.version' });
    assert.equal(revisionFromAttributes({ 'service.version': 'abc1234' })?.kind, 'sha');
    assert.equal(revisionFromAttributes({ 'service.version': 'latest' }), undefined);
    assert.equal(revisionFromAttributes({}), undefined);
  });
});

describe('deploy tracker', () => {
  it('records a marker the first time a service reports a revision, with the previous one', async () => {
    const t = new DeployTracker(new MemoryState());
    assert.equal((await t.observe(batch('shop', { 'vcs.ref.head.revision': SHA1 }, 1000))).length, 1);
    assert.equal((await t.observe(batch('shop', { 'vcs.ref.head.revision': SHA1 }, 2000))).length, 0);
    const [m] = await t.observe(batch('shop', { 'vcs.ref.head.revision': SHA2 }, 3000));
    assert.deepEqual(m, { service: 'shop', revision: SHA2, kind: 'sha', attribute: 'vcs.ref.head.revision', firstSeenMs: 3000, previous: SHA1 });
    assert.equal(t.current('shop'), SHA2);
  });

  it('keeps services apart', async () => {
    const t = new DeployTracker(new MemoryState());
    await t.observe(batch('shop', { 'git.commit.sha': SHA1 }, 1000));
    await t.observe(batch('billing', { 'service.version': 'v1.0.0' }, 1500));
    assert.deepEqual(t.markers().map((m) => [m.service, m.revision]), [['shop', SHA1], ['billing', 'v1.0.0']]);
    assert.equal(t.markers('billing').length, 1);
  });

  it('treats a rollback to a known revision as no new deploy', async () => {
    const t = new DeployTracker(new MemoryState());
    await t.observe(batch('shop', { 'git.commit.sha': SHA1 }, 1000));
    await t.observe(batch('shop', { 'git.commit.sha': SHA2 }, 2000));
    assert.equal((await t.observe(batch('shop', { 'git.commit.sha': SHA1 }, 3000))).length, 0);
    assert.equal(t.current('shop'), SHA1);
    assert.equal(t.markers('shop').length, 2);
  });

  it('persists markers through the state interface and works as a pipeline processor', async () => {
    const state = new MemoryState();
    await new DeployTracker(state).processor(batch('shop', { 'git.commit.sha': SHA1 }, 1000));
    const again = new DeployTracker(state);
    await again.load();
    assert.equal(again.current('shop'), SHA1);
    assert.equal((await again.observe(batch('shop', { 'git.commit.sha': SHA1 }, 5000))).length, 0);
  });
});
