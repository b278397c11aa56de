import { strict as assert } from 'node:assert';
import { DEFAULT_ROBUST, DEFAULT_TREND, detectRobust, detectTrend, robustScore, trendText } from '../../../../../collector/analysis/detectors/anomaly';
import type { RobustSettings } from '../../../../../collector/analysis/detectors/anomaly';
import { seededRandom } from '../../../../harness/seededRandom';

/** Seeded PRNG (mulberry32) and a normal deviate, so the labelled series are reproducible. */
const rng = seededRandom;
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
}

interface Labelled {
  kind: string;
  values: number[];
  /** Anomalous intervals [start, end] (inclusive); everything else is normal. */
  events: [number, number][];
}

const N = 240;
function noise(seed: number, level = 100, sd = 5): number[] {
  const r = rng(seed);
  return Array.from({ length: N }, () => level + sd * gauss(r));
}

function corpus(): Labelled[] {
  const out: Labelled[] = [];
  for (let s = 0; s < 6; s++) out.push({ kind: 'noise', values: noise(100 + s), events: [] });
  for (let s = 0; s < 6; s++) {
    // Heavy-tailed noise: 4% of minutes are 3-5 sd off, now and then two in a row.
    const r = rng(600 + s);
    const v = noise(600 + s);
    for (let i = 0; i < N; i++) if (r() < 0.04) v[i] += (r() < 0.5 ? -1 : 1) * (15 + 10 * r());
    out.push({ kind: 'heavy-tailed noise', values: v, events: [] });
  }
  for (let s = 0; s < 6; s++) {
    // Small steps (+3.5 to +6 sd): near the threshold, so some are expected to be missed.
    const v = noise(700 + s);
    for (let i = 120; i < N; i++) v[i] += 17 + 3 * s;
    out.push({ kind: 'small steps', values: v, events: [[120, 135]] });
  }
  for (let s = 0; s < 6; s++) {
    // One-minute spikes: a `for:` dwell must ignore them.
    const v = noise(200 + s);
    for (const at of [60, 110, 170]) v[at] += 60;
    out.push({ kind: 'single spikes', values: v, events: [] });
  }
  for (let s = 0; s < 6; s++) {
    const v = noise(300 + s);
    const events: [number, number][] = [];
    for (const at of [70, 160]) {
      for (let i = at; i < at + 6; i++) v[i] += 50 + 10 * s;
      events.push([at, at + 5]);
    }
    out.push({ kind: 'sustained spikes', values: v, events });
  }
  for (let s = 0; s < 6; s++) {
    const v = noise(400 + s);
    const up = s % 2 === 0;
    for (let i = 120; i < N; i++) v[i] += up ? 60 : -45;
    out.push({ kind: 'steps', values: v, events: [[120, 135]] });
  }
  for (let s = 0; s < 6; s++) {
    const v = noise(500 + s);
    for (let i = 120; i < N; i++) v[i] += (i - 120) * 3;
    out.push({ kind: 'drifts', values: v, events: [[120, N - 1]] });
  }
  return out;
}

/** Event-based scoring: an alarm is the first flagged point of a run; it is true when it lies
 *  in a labelled interval (+ slack); an event is detected when an alarm lies in it. */
/** Trend detector on a sliding window: flags point i when the last `w` points grow linearly. */
function detectTrendFlags(values: number[], w = 30): boolean[] {
  return values.map((_, i) => i >= w - 1 && detectTrend(values.slice(i - w + 1, i + 1).map((y, x) => ({ x, y })), DEFAULT_TREND) !== undefined);
}

function score(l: Labelled, flags: boolean[], slack = 5): { alarms: number; falseAlarms: number; detected: number } {
  const alarms: number[] = [];
  flags.forEach((f, i) => {
    if (f && !flags[i - 1]) alarms.push(i);
  });
  const inEvent = (i: number) => l.events.some(([a, b]) => i >= a && i <= b + slack);
  return {
    alarms: alarms.length,
    falseAlarms: alarms.filter((i) => !inEvent(i)).length,
    detected: l.events.filter(([a, b]) => alarms.some((i) => i >= a && i <= b + slack)).length,
  };
}

describe('analysis/anomaly', () => {
  const settings: RobustSettings = { ...DEFAULT_ROBUST, windowPoints: 30, dwell: 3 };

  it('scores a point against median and MAD only after the warm-up', () => {
    assert.equal(robustScore([1, 2, 3], 100, settings), undefined);
    const r = robustScore([10, 11, 9, 10, 12, 10, 9, 11, 10, 10], 30, settings)!;
    assert.equal(r.median, 10);
    assert.ok(r.outlier && r.direction === 'up');
  });

  it('detects labelled steps, sustained spikes and drifts, ignores noise and single spikes (precision/recall printed, floors asserted)', () => {
    const rows = new Map<string, { series: number; events: number; detected: number; alarms: number; falseAlarms: number }>();
    const add = (kind: string, l: Labelled, flags: boolean[]) => {
      const s = score(l, flags);
      const row = rows.get(kind) ?? { series: 0, events: 0, detected: 0, alarms: 0, falseAlarms: 0 };
      row.series++;
      row.events += l.events.length;
      row.detected += s.detected;
      row.alarms += s.alarms;
      row.falseAlarms += s.falseAlarms;
      rows.set(kind, row);
    };
    // Robust detector on everything; the trend detector (what memory-like series get) too,
    // because slow drifts are what a median baseline follows rather than flags.
    for (const l of corpus()) {
      add(`robust: ${l.kind}`, l, detectRobust(l.values, settings));
      const trendFlags = detectTrendFlags(l.values);
      add(`robust+trend: ${l.kind}`, l, detectRobust(l.values, settings).map((f, i) => f || trendFlags[i]));
    }
    const combined = [...rows].filter(([k]) => k.startsWith('robust+trend')).map(([, r]) => r);
    const total = combined.reduce((a, r) => ({ events: a.events + r.events, detected: a.detected + r.detected, alarms: a.alarms + r.alarms, falseAlarms: a.falseAlarms + r.falseAlarms }), { events: 0, detected: 0, alarms: 0, falseAlarms: 0 });
    const table = [...rows].map(([kind, r]) => ({ kind, ...r, recall: r.events ? (r.detected / r.events).toFixed(2) : '-' }));
    const precision = total.alarms ? (total.alarms - total.falseAlarms) / total.alarms : 1;
    const recall = total.detected / total.events;
    table.push({ kind: 'TOTAL robust+trend', series: combined.reduce((a, r) => a + r.series, 0), ...total, recall: recall.toFixed(2) });
    console.log('      robust detector (median+MAD, window 30, threshold 4, dwell 3) and trend detector (30-point fit, R² ≥ 0.6), event-based:');
    console.table(table);
    console.log(`      precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}`);
    assert.ok(precision >= 0.85, `precision ${precision}`);
    assert.ok(recall >= 0.8, `recall ${recall}`);
    for (const k of ['sustained spikes', 'steps']) {
      const r = rows.get(`robust: ${k}`)!;
      assert.ok(r.detected / r.events >= 0.9, `robust recall on ${k}`);
    }
    assert.equal(rows.get('robust: single spikes')!.alarms, 0, 'one-minute spikes never alarm with a 3-minute dwell');
    assert.equal(rows.get('robust+trend: noise')!.alarms, 0, 'no alarms on noise');
  });

  it('flags a sustained spike without dwell 1 too, so the dwell is what silences single spikes', () => {
    const l = corpus().find((x) => x.kind === 'single spikes')!;
    assert.ok(score(l, detectRobust(l.values, { ...settings, dwell: 1 })).alarms >= 3);
  });

  it('reads a heap growing 3.1 MB/min with a limit as "reaches the limit in ~42 min"', () => {
    const MB = 1024 * 1024;
    const r = rng(7);
    const pts = Array.from({ length: 30 }, (_, i) => ({ x: i, y: 200 * MB + 3.1 * MB * i + 0.5 * MB * gauss(r) }));
    const current = 200 * MB + 3.1 * MB * 29;
    const t = detectTrend(pts, DEFAULT_TREND, current + 42 * 3.1 * MB)!;
    assert.ok(t, 'trend found');
    const text = trendText('v8js.memory.heap.used', t, 'By');
    console.log(`      ${text}`);
    assert.match(text, /^heap grows 3\.[01] MB\/min, reaches the limit in ~4[123] min$/);
  });

  it('finds growth under a GC sawtooth but not in a flat noisy series', () => {
    const MB = 1024 * 1024;
    const r = rng(11);
    const saw = Array.from({ length: 30 }, (_, i) => ({ x: i, y: 150 * MB + 1.5 * MB * i + ((i % 5) * 4 - 8) * MB + MB * gauss(r) }));
    assert.ok(detectTrend(saw, DEFAULT_TREND));
    const flat = Array.from({ length: 30 }, () => 150 * MB + 3 * MB * gauss(r));
    assert.equal(detectTrend(flat.map((y, x) => ({ x, y })), DEFAULT_TREND), undefined);
  });
});
