import { strict as assert } from 'node:assert';
import type { LineStats } from '../../../../collector/live/protocol';
import { aiRangeStatus } from '../../../../extension/overlays/aiStatus';
import type { AiRangeInfo } from '../../../../extension/overlays/lensModel';

const range: AiRangeInfo = { diffId: 'd', start: 3, end: 8, timeMs: 0, state: 'confirmed', source: 'trailer' };
const st = (o: Partial<LineStats>): LineStats => ({ line: 4, kind: 'span', calls: 5, errors: 0, lastSeenMs: 0, names: [], recentTraceIds: [], perMinute: [], ...o });

describe('aiRangeStatus', () => {
  it('is unobserved when no telemetry falls inside the range', () => {
    assert.equal(aiRangeStatus(range, [st({ line: 20 })]), 'unobserved');
  });
  it('is erroring when a line inside the range has errors', () => {
    assert.equal(aiRangeStatus(range, [st({ errors: 1 })]), 'erroring');
  });
  it('is regressed when the diff made p95 at least 1.5× worse', () => {
    assert.equal(aiRangeStatus({ ...range, p95Ratio: 2 }, [st({})]), 'regressed');
  });
  it('is healthy when observed without errors or regression', () => {
    assert.equal(aiRangeStatus({ ...range, p95Ratio: 1.1 }, [st({})]), 'healthy');
  });
});
