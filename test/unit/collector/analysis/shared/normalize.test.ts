import { strict as assert } from 'node:assert';
import { parameteriseMessage } from '../../../../../collector/analysis/shared/normalize';
import { normaliseSql } from '../../../../../collector/text/sql';

describe('collector/analysis/normalize', () => {
  it('replaces ids, emails, addresses, quoted values and numbers in a message', () => {
    assert.equal(
      parameteriseMessage('user bob@example.com order 42 id 123e4567-e89b-12d3-a456-426614174000 at 10.0.0.1:80 key "abc"'),
      'user <email> order <num> id <uuid> at <ip> key <str>',
    );
  });

  it('parameterises hostile messages in time linear in their length', () => {
    // Runs like `a.a.a.…` made the email pattern rescan the rest of the run from every
    // position: ~10 ms per 4 KiB message, so a 9 MB export of such messages stalled the
    // collector for seconds. Now each takes well under a millisecond; 300 of each kind are
    // given 3 s on a loaded shared machine (they took > 9 s before the fix).
    const hostile = ['a.'.repeat(5000), '1.'.repeat(5000), 'a-'.repeat(5000), `${'a.'.repeat(5000)}@`, '"\\'.repeat(5000), '1_'.repeat(5000)];
    const started = Date.now();
    for (let i = 0; i < 300; i++) for (const m of hostile) parameteriseMessage(m);
    const ms = Date.now() - started;
    assert.ok(ms < 3000, `took ${ms} ms`);
  });

  it('bounds a 9 MB message before any pattern runs', () => {
    const huge = 'x1.'.repeat(3_000_000);
    const started = Date.now();
    const out = parameteriseMessage(huge);
    assert.ok(out.length <= 4096);
    assert.ok(Date.now() - started < 1000, 'one huge message is cut first, so it costs what a 4 KiB one does');
  });

  it('normalises hostile SQL in bounded time', () => {
    const hostile = ["'".repeat(9000), '/*'.repeat(9000), '(?,'.repeat(9000), 'VALUES (?),'.repeat(2000)];
    const started = Date.now();
    for (let i = 0; i < 100; i++) for (const s of hostile) normaliseSql(s);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });
});
