// Time-series charts with uPlot (bundled, canvas-drawn): a line per signal, an optional
// baseline band, a threshold line and anomaly markers. Colours from the VS Code theme.
import uPlot from 'uplot';
import type { AnomalyView, BucketView, SeriesView } from '../../collector/analysis/types';
import { baselineBand } from './baseline';

export type ChartSignal = 'value' | 'p50' | 'p95' | 'count' | 'errors' | 'errorRate';

const themeColor = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** Which lines a series gets: percentile lines for latency/histograms, one line otherwise. */
export function signalsFor(s: SeriesView): ChartSignal[] {
  const has = (k: keyof BucketView) => s.buckets.some((b) => typeof b[k] === 'number');
  // A gauge/sum metric reports one value per minute (its "percentiles" all equal it): one line.
  const flat = s.buckets.every((b) => b.p50 === undefined || (b.p50 === b.p95 && b.p50 === b.value));
  if (s.kind === 'metric' && has('value') && flat) return ['value'];
  if (has('p50') || has('p95')) return ['p50', 'p95'].filter((k) => has(k as keyof BucketView)) as ChartSignal[];
  if (has('value')) return ['value'];
  return ['count'];
}

export interface ChartOptions {
  signals?: ChartSignal[];
  /** Draw the baseline band around this signal. */
  bandFor?: ChartSignal;
  threshold?: number;
  anomalies?: AnomalyView[];
  height?: number;
}

export interface Chart { plot: uPlot; dispose(): void }

export function drawSeriesChart(container: HTMLElement, s: SeriesView, opts: ChartOptions = {}): Chart {
  const signals = opts.signals ?? signalsFor(s);
  const xs = s.buckets.map((b) => b.minuteMs / 1000);
  const col = (sig: ChartSignal) => s.buckets.map((b) => {
    if (sig === 'errorRate') return b.count ? b.errors / b.count : null;
    return typeof b[sig] === 'number' ? (b[sig] as number) : null;
  });
  const colors = [themeColor('--vscode-charts-blue', '#3794ff'), themeColor('--vscode-charts-purple', '#b180d7'), themeColor('--vscode-charts-green', '#89d185')];
  const fg = themeColor('--vscode-descriptionForeground', '#999');
  const grid = themeColor('--vscode-panel-border', 'rgba(128,128,128,0.2)');
  const data: (number | null)[][] = [xs];
  const series: uPlot.Series[] = [{}];
  signals.forEach((sig, i) => {
    data.push(col(sig));
    series.push({ label: sig === 'value' ? (s.unit ? `value (${s.unit})` : 'value') : sig === 'errorRate' ? 'error rate' : sig, stroke: colors[i % colors.length], width: 1.5, spanGaps: false, points: { show: xs.length < 60 } });
  });
  const bands: uPlot.Band[] = [];
  const bandSig = opts.bandFor ?? signals[signals.length - 1];
  if (bandSig) {
    const band = baselineBand(col(bandSig));
    data.push(band.upper, band.lower);
    const bandColor = themeColor('--vscode-charts-blue', '#3794ff');
    series.push({ label: 'baseline high', stroke: 'transparent', width: 0, points: { show: false } }, { label: 'baseline low', stroke: 'transparent', width: 0, points: { show: false } });
    bands.push({ series: [data.length - 2, data.length - 1], fill: `${bandColor}33` });
  }
  if (opts.threshold !== undefined) {
    data.push(xs.map(() => opts.threshold!));
    series.push({ label: 'threshold', stroke: themeColor('--vscode-charts-red', '#f14c4c'), dash: [6, 4], width: 1 });
  }
  if (opts.anomalies?.length) {
    const target = col(bandSig ?? signals[0]);
    const marks = xs.map(() => null as number | null);
    for (const a of opts.anomalies) {
      const i = xs.findIndex((x) => x * 1000 >= Math.floor(a.sinceMs / 60_000) * 60_000);
      if (i >= 0) marks[i] = target[i] ?? a.value;
    }
    data.push(marks);
    series.push({ label: 'anomaly', stroke: themeColor('--vscode-charts-orange', '#d18616'), width: 0, paths: () => null, points: { show: true, size: 9, fill: themeColor('--vscode-charts-orange', '#d18616') } });
  }
  // At least the last 30 minutes, so one or two points do not stretch the axis over years.
  const lastX = xs.length ? xs[xs.length - 1] : Date.now() / 1000;
  const xRange: uPlot.Range.MinMax = [Math.min(xs.length ? xs[0] : lastX, lastX - 30 * 60), lastX + 60];
  const axis = (): uPlot.Axis => ({ stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } });
  const yAxis: uPlot.Axis = { ...axis(), size: 60, values: (_u, splits) => splits.map(compactNumber) };
  const width = Math.max(200, container.clientWidth - 16);
  const plot = new uPlot({ width, height: opts.height ?? 240, series, bands, axes: [axis(), yAxis], scales: { x: { time: true, range: () => xRange } }, legend: { show: true } }, data as uPlot.AlignedData, container);
  const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, container.clientWidth - 16), height: opts.height ?? 240 }));
  ro.observe(container);
  return { plot, dispose: () => { ro.disconnect(); plot.destroy(); } };
}

/** 48000000 → "48M", 0.25 → "0.25": axis labels that fit. */
export function compactNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(a < 1 ? 3 : 1)}`;
}
