import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalWriter, readJournal } from '../../../../collector/store/journal';

describe('journal', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'vw-journal-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back every record appended, in order', async () => {
    const w = new JournalWriter(join(dir, 'j.log'));
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.append(JSON.stringify({ q: i, text: 'é'.repeat(i) }))));
    await w.close();
    const r = readJournal(join(dir, 'j.log'));
    assert.equal(r.corrupt, 0);
    assert.deepEqual(r.payloads.map((p) => (JSON.parse(p) as { q: number }).q), Array.from({ length: 50 }, (_, i) => i));
  });

  it('resolves appends made during an fsync together with the next fsync (group commit)', async () => {
    const w = new JournalWriter(join(dir, 'j.log'));
    const order: number[] = [];
    const first = w.append('"a"').then(() => order.push(1));
    // Appended while the first write+fsync is in flight: they share the second one.
    const rest = [w.append('"b"'), w.append('"c"')].map((p, i) => p.then(() => order.push(2 + i)));
    await Promise.all([first, ...rest]);
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(w.syncs, 2);
    await w.close();
    assert.equal(readJournal(join(dir, 'j.log')).payloads.length, 3);
  });

  it('flush() resolves for earlier appends even while new appends keep arriving', async () => {
    const w = new JournalWriter(join(dir, 'j.log'));
    let stop = false;
    const writer = (async () => { while (!stop) await Promise.race([w.append('"x"'), w.append('"y"')]); })();
    await new Promise((r) => setTimeout(r, 20));
    await w.flush(); // would hang if it waited for the journal to go idle
    stop = true;
    await writer;
    await w.close();
  });

  it('skips a truncated tail and keeps the records before it', async () => {
    const path = join(dir, 'j.log');
    const w = new JournalWriter(path);
    for (let i = 0; i < 5; i++) await w.append(JSON.stringify({ q: i }));
    await w.close();
    truncateSync(path, readFileSync(path).length - 3);
    const r = readJournal(path);
    assert.equal(r.corrupt, 1);
    assert.equal(r.payloads.length, 4);
  });

  it('skips a corrupt record in the middle and recovers the records after it', async () => {
    const path = join(dir, 'j.log');
    const w = new JournalWriter(path);
    for (let i = 0; i < 5; i++) await w.append(JSON.stringify({ q: i, pad: 'x'.repeat(20) }));
    await w.close();
    const buf = readFileSync(path);
    const recLen = buf.length / 5;
    buf[Math.floor(recLen * 2 + recLen / 2)] ^= 0xff; // flip a payload byte of record 2
    writeFileSync(path, buf);
    const r = readJournal(path);
    assert.equal(r.corrupt, 1);
    assert.deepEqual(r.payloads.map((p) => (JSON.parse(p) as { q: number }).q), [0, 1, 3, 4]);
  });

  it('treats garbage appended after the last record as one corrupt region', async () => {
    const path = join(dir, 'j.log');
    const w = new JournalWriter(path);
    await w.append('"ok"');
    await w.close();
    appendFileSync(path, Buffer.from('VWJ1\xff\xff\xff\x7fgarbage', 'latin1'));
    const r = readJournal(path);
    assert.deepEqual([r.payloads, r.corrupt], [['"ok"'], 1]);
  });
});
