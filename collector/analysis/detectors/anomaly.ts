// Detectors a small system can run well:
// - robust: the point against the median and MAD of a sliding window of earlier points,
//   after a warm-up (minimum samples), flagged only after `dwell` consecutive outliers in
//   the same direction (so one spike is not an anomaly);
// - trend: a least-squares line over a window, for memory-like series, with the time until a
//   known limit is reached.
// Pure functions over numbers; the analyzer feeds them per-minute values.

export interface RobustSettings {
  /** Outlier when |x - median| > threshold × scale. */
  threshold: number;
  minSamples: number;
  windowPoints: number;
  /** Consecutive outliers needed. */
  dwell: number;
  /** Scale floor as a fraction of |median| (flat series have MAD 0). */
  minRelScale: number;
  minAbsScale: number;
  direction: 'up' | 'down' | 'both';
}

export const DEFAULT_ROBUST: RobustSettings = {
  threshold: 4, minSamples: 10, windowPoints: 30, dwell: 3, minRelScale: 0.05, minAbsScale: 1e-6, direction: 'both',
};

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface RobustScore {
  median: number;
  mad: number;
  score: number;
  direction: 'up' | 'down';
  outlier: boolean;
}

/** Scores x against its history; undefined during warm-up. */
export function robustScore(history: number[], x: number, s: RobustSettings): RobustScore | undefined {
  if (history.length < s.minSamples) return undefined;
  const h = history.slice(-s.windowPoints);
  const med = median(h);
  const mad = median(h.map((v) => Math.abs(v - med)));
  const scale = Math.max(1.4826 * mad, s.minRelScale * Math.abs(med), s.minAbsScale);
  const score = (x - med) / scale;
  const direction = score >= 0 ? 'up' : 'down';
  const outlier = Math.abs(score) > s.threshold && (s.direction === 'both' || s.direction === direction);
  return { median: med, mad, score: Math.abs(score), direction, outlier };
}

/** Per-point anomaly flags for a whole series (used by tests and by backfill). */
export function detectRobust(values: number[], s: RobustSettings): boolean[] {
  const flags: boolean[] = [];
  let run = 0;
  let runDir: 'up' | 'down' | undefined;
  for (let i = 0; i < values.length; i++) {
    const r = robustScore(values.slice(Math.max(0, i - s.windowPoints), i), values[i], s);
    if (r?.outlier && (runDir === undefined || runDir === r.direction)) {
      run++;
      runDir = r.direction;
    } else if (r?.outlier) {
      run = 1;
      runDir = r.direction;
    } else {
      run = 0;
      runDir = undefined;
    }
    flags.push(run >= s.dwell);
  }
  return flags;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  r2: number;
}

export function linearFit(points: { x: number; y: number }[]): LinearFit | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  let sx = 0, sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n, my = sy / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

export interface TrendSettings {
  minPoints: number;
  minR2: number;
  /** Growth over the window must exceed this fraction of the mean to count. */
  minRelGrowth: number;
}

export const DEFAULT_TREND: TrendSettings = { minPoints: 10, minR2: 0.6, minRelGrowth: 0.05 };

export interface Trend {
  slopePerMin: number;
  r2: number;
  current: number;
  minutesToLimit?: number;
}

/** Points are (minute index or minutes, value). Undefined when there is no clear growth. */
export function detectTrend(points: { x: number; y: number }[], s: TrendSettings, limit?: number): Trend | undefined {
  if (points.length < s.minPoints) return undefined;
  const fit = linearFit(points);
  if (!fit || fit.slope <= 0 || fit.r2 < s.minR2) return undefined;
  const xs = points.map((p) => p.x);
  const span = Math.max(...xs) - Math.min(...xs);
  const mean = points.reduce((a, p) => a + p.y, 0) / points.length;
  if (mean !== 0 && (fit.slope * span) / Math.abs(mean) < s.minRelGrowth) return undefined;
  const lastX = Math.max(...xs);
  const current = fit.intercept + fit.slope * lastX;
  const t: Trend = { slopePerMin: fit.slope, r2: fit.r2, current };
  if (limit !== undefined && limit > 0) t.minutesToLimit = Math.max(0, (limit - current) / fit.slope);
  return t;
}

/** Human text for a value in an OTel unit (`By`, `ms`, `s`, `1`, `%`…). */
export function formatValue(v: number, unit?: string): string {
  if (unit === 'By' || unit === 'bytes') {
    const abs = Math.abs(v);
    if (abs >= 1024 ** 3) return `${(v / 1024 ** 3).toFixed(1)} GB`;
    if (abs >= 1024 ** 2) return `${(v / 1024 ** 2).toFixed(1)} MB`;
    if (abs >= 1024) return `${(v / 1024).toFixed(1)} KB`;
    return `${Math.round(v)} B`;
  }
  const n = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2);
  return unit && unit !== '1' ? `${n} ${unit}` : n;
}

export function trendText(name: string, t: Trend, unit?: string): string {
  const noun = /heap/i.test(name) ? 'heap' : /memory|rss/i.test(name) ? 'memory' : name;
  const base = `${noun} grows ${formatValue(t.slopePerMin, unit)}/min`;
  if (t.minutesToLimit === undefined) return base;
  return `${base}, reaches the limit in ~${Math.round(t.minutesToLimit)} min`;
}
