import { strict as assert } from 'node:assert';
import { formatCount, formatDuration, severityName, shortPath } from '../../../../webview/lib/format';

describe('panel formatting', () => {
  it('formats durations from microseconds to minutes', () => {
    assert.equal(formatDuration(0.25), '250 µs');
    assert.equal(formatDuration(4.2), '4.2 ms');
    assert.equal(formatDuration(250), '250 ms');
    assert.equal(formatDuration(1500), '1.50 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
  });

  it('names OTel severity numbers by range, preferring the record text', () => {
    assert.equal(severityName(9), 'INFO');
    assert.equal(severityName(13), 'WARN');
    assert.equal(severityName(17), 'ERROR');
    assert.equal(severityName(21), 'FATAL');
    assert.equal(severityName(9, 'notice'), 'NOTICE');
  });

  it('shortens counts and paths', () => {
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(12_345), '12k');
    assert.equal(shortPath('/home/me/shop/src/orders.ts'), 'src/orders.ts');
    assert.equal(shortPath('C:\\shop\\src\\orders.ts'), 'src/orders.ts');
  });
});
