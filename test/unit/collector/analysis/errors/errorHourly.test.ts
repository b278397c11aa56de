import { strict as assert } from 'node:assert';
import { ErrorTracker } from '../../../../../collector/analysis/errors/errors';
import { sourceStackParser } from '../../../../../collector/analysis/errors/stackParser';
import type { ExceptionOccurrence } from '../../../../../collector/analysis/errors/exceptions';
import { countsFromHourly } from '../../../../../webview/lib/sparkline';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function occ(atMs: number, message = 'card declined'): ExceptionOccurrence {
  return { atMs, type: 'PaymentError', message, service: 'shop', source: 'spanEvent' };
}

describe('error groups count occurrences per hour', () => {
  it('counts every occurrence per hour, though only a few samples are kept', () => {
    const t = new ErrorTracker({ parser: sourceStackParser, maxSamples: 10, maxGroups: 100, newForMs: 60_000 });
    for (let i = 0; i < 30; i++) t.ingest(occ(T0 + i * 1000));
    for (let i = 0; i < 5; i++) t.ingest(occ(T0 + 2 * HOUR + i));
    const [g] = t.list();
    assert.equal(g.samples.length, 10);
    assert.deepEqual(g.hourly, [[T0, 30], [T0 + 2 * HOUR, 5]]);
    assert.deepEqual(countsFromHourly(g.hourly!, 4, T0 + 2 * HOUR + 10), [0, 30, 0, 5]);
  });

  it('keeps the last 48 hours of activity and adds merged groups\' hours', () => {
    const t = new ErrorTracker({ parser: sourceStackParser, maxSamples: 10, maxGroups: 100, newForMs: 60_000 });
    t.ingest(occ(T0, 'card declined'));
    t.ingest(occ(T0 + 50 * HOUR, 'card declined'));
    t.ingest(occ(T0 + 50 * HOUR + 5, 'timeout talking to bank'));
    const groups = t.list();
    const declined = groups.find((g) => g.title.includes('declined'))!;
    assert.deepEqual(declined.hourly, [[T0 + 50 * HOUR, 1]], 'an hour older than 48 h before the newest is dropped');
    const other = groups.find((g) => g !== declined)!;
    t.action({ action: 'merge', groupId: declined.id, otherIds: [other.id] }, T0 + 51 * HOUR);
    assert.deepEqual(t.get(declined.id)!.hourly, [[T0 + 50 * HOUR, 2]]);
  });
});
