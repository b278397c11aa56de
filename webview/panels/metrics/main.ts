// Metrics panel: any series (endpoints, code locations, metrics) as a uPlot chart — one line
// for gauges/rates/sums, percentile lines (p50/p95) for latency and histograms — with the
// baseline band and the detected anomalies marked.
import type { AnomalyView, SeriesSummary } from '../../../collector/analysis/types';
import { PanelBus } from '../../lib/bus';
import { clear, h } from '../../lib/dom';
import { debounce, select, textField } from '../../lib/elements';
import { drawSeriesChart, type Chart } from '../../lib/chart';
import { formatRelative, shortPath } from '../../lib/format';
import { VirtualList } from '../../lib/virtualList';

const bus = new PanelBus('metrics');
let all: SeriesSummary[] = [];
let anomalies: AnomalyView[] = [];
let kind = '';
let text = '';
let chart: Chart | undefined;
let currentKey: string | undefined = bus.getState<{ key?: string }>()?.key;

const count = h('span', { class: 'muted' });
const list = new VirtualList<SeriesSummary>({
  rowHeight: 24,
  label: 'Series',
  render(row, s) {
    const n = anomalies.filter((a) => a.seriesKey === s.key).length;
    row.replaceChildren(
      h('span', { class: 'metric-kind', text: s.kind }),
      h('span', { class: 'cell grow', text: s.kind === 'location' ? shortPath(s.name) : s.name, title: s.key }),
      h('span', { class: 'cell muted', text: s.service }),
      n ? h('span', { class: 'anomaly', text: `${n} anomal${n === 1 ? 'y' : 'ies'}` }) : h('span'),
    );
  },
  onSelect: (s) => void showSeries(s.key),
});
const view = h('div', { class: 'scroll' }, h('div', { class: 'empty', text: 'Select a series' }));
document.getElementById('app')!.append(
  h('div', { class: 'toolbar', attrs: { role: 'search' } },
    textField('Filter series', debounce((v: string) => { text = v.toLowerCase(); applyFilter(); }, 150)),
    select('Kind', [['', 'All kinds'], ['endpoint', 'Endpoints'], ['location', 'Code locations'], ['metric', 'Metrics']], (v) => { kind = v; applyFilter(); }),
    h('span', { class: 'grow' }), count),
  h('div', { class: 'split' }, h('div', { class: 'pane left' }, list.element), h('div', { class: 'pane right' }, view)));

function applyFilter(): void {
  const shown = all.filter((s) => (!kind || s.kind === kind) && (!text || `${s.name} ${s.service}`.toLowerCase().includes(text)));
  list.setItems(shown, false);
  count.textContent = `${shown.length} series`;
}

async function showSeries(key: string): Promise<void> {
  currentKey = key;
  bus.setState({ key });
  chart?.dispose();
  chart = undefined;
  clear(view);
  try {
    const s = await bus.request('baselineSeries', { key });
    if (currentKey !== key) return;
    const marks = anomalies.filter((a) => a.seriesKey === key);
    view.append(h('h2', { text: `${s.name}${s.unit ? ` (${s.unit})` : ''}` }), h('div', { class: 'muted', text: `${s.service} · ${s.kind} · last data ${formatRelative(s.lastMinuteMs)}` }));
    const box = h('div', { class: 'chart', attrs: { 'aria-label': `Chart of ${s.name}` } });
    view.append(box);
    chart = drawSeriesChart(box, s, { anomalies: marks });
    for (const a of marks) view.append(h('div', { class: 'anomaly', text: `● ${a.text}` }));
    document.body.dataset.chartDrawn = key;
  } catch (e) {
    view.append(h('div', { class: 'error-text', text: `Could not load the series: ${(e as Error).message}` }));
  }
}

async function reload(): Promise<void> {
  try {
    [all, anomalies] = await Promise.all([bus.request('baselineSeriesList', {}), bus.request('anomalies', {}).then((r) => r.anomalies, (): AnomalyView[] => [])]);
    applyFilter();
    document.body.dataset.seriesLoaded = String(all.length);
    if (currentKey && !chart) void showSeries(currentKey);
  } catch (e) {
    count.textContent = `Could not load series: ${(e as Error).message}`;
  }
}

bus.onChanged((topics) => { if (!topics.length || topics.some((t) => t === 'metrics' || t === 'anomalies' || t === 'spans')) void reload(); });
bus.onShow((f) => { if (f.seriesKey) void showSeries(f.seriesKey); });
bus.ready();
void reload();
