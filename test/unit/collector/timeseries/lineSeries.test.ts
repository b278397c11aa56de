import { strict as assert } from 'node:assert';
import { LineSeries, HOUR_MS, MAX_LOCATIONS, MINUTE_MS } from '../../../../collector/timeseries/lineSeries';
import type { LogRow, SpanRow } from '../../../../collector/store/rows';
import { SpanKind, StatusCode } from '../../../../collector/model/types';
import { at, span as modelSpan, spanRows } from '../../../harness/spans';

const FILE = '/work/shop/src/orders.ts';
const now = Math.floor(Date.UTC(2026, 10, 25, 12, 30) / MINUTE_MS) * MINUTE_MS;

/** The store row of a server span at `s` (ms) placed at FILE:12 (`f`/`l` override; `f:
 *  undefined` = unplaced), `d` ms long, status `sc`, trace `t`, name `n`. */
function span(o: { s: number; d?: number; sc?: StatusCode; t?: string; n?: string; f?: string; l?: number }): SpanRow {
  const file = 'f' in o ? o.f : FILE;
  const sp = modelSpan({ name: o.n ?? 'GET /orders/:id', kind: SpanKind.Server, service: 'shop', atMs: o.s, durMs: o.d ?? 10, traceId: o.t, location: file ? at(file, o.l ?? 12, 'getOrder') : undefined });
  sp.status = { code: o.sc ?? StatusCode.Unset };
  return spanRows([sp])[0];
}
function log(o: Partial<LogRow> & { s: number }): LogRow {
  return { sn: 9, b: 'x', a: '{}', sv: 'shop', ri: 0, f: FILE, l: 40, ...o };
}

describe('LineSeries', () => {
  it('counts calls per minute for the last 30 minutes, oldest first', () => {
    const a = new LineSeries();
    a.addSpan(span({ s: now - 29 * MINUTE_MS + 5 }));
    a.addSpan(span({ s: now + 1 }));
    a.addSpan(span({ s: now + 2 }));
    a.addSpan(span({ s: now - 45 * MINUTE_MS })); // outside the sparkline, inside the window
    const [line] = a.summary(FILE, now + 10, 24 * HOUR_MS).lines;
    assert.equal(line.perMinute.length, 30);
    assert.equal(line.perMinute[0], 1);
    assert.equal(line.perMinute[29], 2);
    assert.equal(line.calls, 4);
  });

  it('gives p50 and p95 within 2% of the exact values', () => {
    const a = new LineSeries();
    const durs = Array.from({ length: 1000 }, (_, i) => 1 + i * 0.5);
    for (const d of durs) a.addSpan(span({ s: now, d }));
    const [line] = a.summary(FILE, now, HOUR_MS).lines;
    const exact = (q: number): number => durs[Math.ceil(q * durs.length) - 1];
    assert.ok(Math.abs(line.p50Ms! - exact(0.5)) / exact(0.5) < 0.02, `${line.p50Ms} vs ${exact(0.5)}`);
    assert.ok(Math.abs(line.p95Ms! - exact(0.95)) / exact(0.95) < 0.02, `${line.p95Ms} vs ${exact(0.95)}`);
  });

  it('counts errors from span status and log severity', () => {
    const a = new LineSeries();
    a.addSpan(span({ s: now, sc: 2 }));
    a.addSpan(span({ s: now, sc: 1 }));
    a.addLog(log({ s: now, sn: 17, st: 'error' }));
    a.addLog(log({ s: now, sn: 9 }));
    a.addLog(log({ s: now, sn: 13 }));
    const [sp, lg] = a.summary(FILE, now, HOUR_MS).lines;
    assert.deepEqual([sp.kind, sp.calls, sp.errors], ['span', 2, 1]);
    assert.deepEqual([lg.kind, lg.calls, lg.errors], ['log', 3, 1]);
    assert.deepEqual(lg.logsBySeverity, { ERROR: 1, INFO: 1, WARN: 1 });
    assert.equal(lg.p50Ms, undefined);
  });

  it('keeps the 5 newest distinct trace ids, newest first', () => {
    const a = new LineSeries();
    for (let i = 0; i < 8; i++) a.addSpan(span({ s: now + i, t: `t${i}` }));
    a.addSpan(span({ s: now + 8, t: 't3' }));
    a.addSpan(span({ s: now - 1000, t: 'old' })); // late arrival does not push out newer ones
    assert.deepEqual(a.summary(FILE, now, HOUR_MS).lines[0].recentTraceIds, ['t3', 't7', 't6', 't5', 't4']);
  });

  it('lists span names by frequency', () => {
    const a = new LineSeries();
    a.addSpan(span({ s: now, n: 'rare' }));
    for (let i = 0; i < 3; i++) a.addSpan(span({ s: now, n: 'common' }));
    assert.deepEqual(a.summary(FILE, now, HOUR_MS).lines[0].names, ['common', 'rare']);
  });

  it('ignores rows without a location', () => {
    const a = new LineSeries();
    a.addSpan(span({ s: now, f: undefined, l: undefined }));
    a.addLog(log({ s: now, f: undefined, l: undefined }));
    assert.deepEqual(a.files(), []);
  });

  it('leaves hours outside the summary window out of calls', () => {
    const a = new LineSeries();
    a.addSpan(span({ s: now - 30 * HOUR_MS }));
    a.addSpan(span({ s: now }));
    assert.equal(a.summary(FILE, now, 24 * HOUR_MS).lines[0].calls, 1);
  });

  it('prunes minute cells and hour cells at their cutoffs and forgets empty locations', () => {
    const a = new LineSeries();
    a.addSpan(span({ s: now - 3 * HOUR_MS }));
    a.addSpan(span({ s: now, l: 99 }));
    a.prune(now - HOUR_MS, now - 10 * HOUR_MS);
    assert.equal(a.summary(FILE, now, 24 * HOUR_MS).lines.find((l) => l.line === 12)!.calls, 1, 'hour cell still there');
    a.prune(now - HOUR_MS, now - HOUR_MS);
    assert.deepEqual(a.summary(FILE, now, 24 * HOUR_MS).lines.map((l) => l.line), [99]);
  });

  it('stops creating locations at the cap and counts the rows it turned away', () => {
    const a = new LineSeries();
    const row = span({ s: now });
    for (let i = 0; i < MAX_LOCATIONS + 3; i++) a.addSpan({ ...row, l: i + 1 });
    a.addSpan(span({ s: now, l: 1 }));
    assert.equal(a.overflow, 3);
    assert.equal(a.summary(FILE, now, HOUR_MS).lines.find((l) => l.line === 1)!.calls, 2);
  });

  it('merges hour cells older than the day cutoff into one cell per day, keeping counts and percentiles', () => {
    const a = new LineSeries();
    const day = Math.floor((now - 3 * 24 * HOUR_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS;
    for (let hr = 0; hr < 5; hr++) a.addSpan(span({ s: day + hr * HOUR_MS + 1000, d: 10 * (hr + 1), sc: hr === 2 ? 2 : 0 }));
    a.addSpan(span({ s: now, d: 30 }));
    a.prune(-Infinity, -Infinity, now - 48 * HOUR_MS);
    const [j] = a.toJSON();
    assert.deepEqual(j.hrs.map(([t, [count, errors, sum, max]]) => [t, count, errors, sum, max]), [[day, 5, 1, 150, 50], [Math.floor(now / HOUR_MS) * HOUR_MS, 1, 0, 30, 30]]);
    const [line] = a.summary(FILE, now, 5 * 24 * HOUR_MS).lines;
    assert.equal(line.calls, 6);
    assert.ok(Math.abs(line.p50Ms! - 30) < 0.5, String(line.p50Ms));
  });

  it('round-trips through its checkpoint JSON', () => {
    const a = new LineSeries();
    for (let i = 0; i < 50; i++) a.addSpan(span({ s: now - i * MINUTE_MS, d: i + 1, sc: i % 7 === 0 ? 2 : 0, t: `t${i}` }));
    a.addLog(log({ s: now, sn: 17 }));
    const b = new LineSeries();
    b.load(JSON.parse(JSON.stringify(a.toJSON())));
    assert.deepEqual(b.summary(FILE, now, 24 * HOUR_MS), a.summary(FILE, now, 24 * HOUR_MS));
  });
});
