// Alerts panel: firing, pending and resolved alerts; the rules with their thresholds; the
// series behind the selected alert as a chart with its baseline band and threshold.
import type { AlertRule, AlertView, SeriesSummary } from '../../../collector/analysis/types';
import { PanelBus } from '../../lib/bus';
import { clear, h } from '../../lib/dom';
import { button } from '../../lib/elements';
import { drawSeriesChart, type Chart } from '../../lib/chart';
import { formatDateTime, formatRelative, shortPath } from '../../lib/format';
import { VirtualList } from '../../lib/virtualList';

const bus = new PanelBus('alerts');
const ORDER: Record<AlertView['state'], number> = { firing: 0, pending: 1, resolved: 2 };
let rules: AlertRule[] = [];
let chart: Chart | undefined;

const summary = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
const list = new VirtualList<AlertView>({
  rowHeight: 40,
  label: 'Alerts',
  render(row, a) {
    row.replaceChildren(
      h('span', { class: `alert-state state-${a.state}`, text: a.state }),
      h('span', { class: 'cell grow' },
        h('div', { class: 'cell', text: a.title }),
        h('div', { class: 'muted cell', text: `${a.subject} · ${a.text}` })),
      h('span', { class: 'cell time', text: formatRelative(a.firingSinceMs ?? a.pendingSinceMs) }),
    );
  },
  onSelect: (a) => void showAlert(a),
});
const detail = h('div', { class: 'scroll' }, h('div', { class: 'empty', text: 'Select an alert' }));
const rulesBox = h('div', { class: 'details' });
document.getElementById('app')!.append(
  h('div', { class: 'toolbar' }, h('strong', { text: 'Alerts' }), h('span', { class: 'grow' }), summary, button('Refresh', () => void reload(), { secondary: true, icon: 'refresh' })),
  h('div', { class: 'split' },
    h('div', { class: 'pane left' }, list.element),
    h('div', { class: 'pane right' }, detail, rulesBox)));

function ruleFor(a: AlertView): AlertRule | undefined {
  return rules.find((r) => r.id === a.ruleId);
}

async function seriesFor(a: AlertView): Promise<SeriesSummary | undefined> {
  const all = await bus.request('baselineSeriesList', {});
  const same = (s: SeriesSummary) => !a.service || s.service === a.service;
  const exact = all.find((s) => same(s) && (s.key === a.subject || s.name === a.subject));
  if (exact) return exact;
  // Subjects read like "shop POST /checkout/pay": the longest series name inside it wins
  // (so "/checkout" does not shadow "POST /checkout/pay").
  return all.filter((s) => same(s) && a.subject.includes(s.name)).sort((x, y) => y.name.length - x.name.length)[0];
}

async function showAlert(a: AlertView): Promise<void> {
  chart?.dispose();
  chart = undefined;
  clear(detail);
  const rule = ruleFor(a);
  detail.append(
    h('h2', { text: a.title }),
    h('div', { class: `state-${a.state}`, text: `${a.state.toUpperCase()} · ${a.severity}` }),
    h('div', { class: 'muted', text: `${a.text}. Value ${a.value}${rule?.threshold !== undefined ? ` ${rule.op ?? '>'} ${rule.threshold}` : ''}. Pending since ${formatDateTime(a.pendingSinceMs)}${a.firingSinceMs ? `, firing since ${formatDateTime(a.firingSinceMs)}` : ''}${a.resolvedAtMs ? `, resolved ${formatDateTime(a.resolvedAtMs)}` : ''}.` }),
  );
  const actions = h('div', { class: 'actions' });
  if (a.incidentId) {
    const incidentId = a.incidentId;
    actions.append(button('Open incident', () => bus.post({ type: 'showPanel', panel: 'incidents', focus: { incidentId } }), { secondary: true }));
  }
  if (a.location) {
    const loc = a.location;
    actions.append(button(`Open ${shortPath(loc.file)}:${loc.line}`, () => bus.post({ type: 'openSource', location: { file: loc.file, line: loc.line, ...(loc.column ? { column: loc.column } : {}) } }), { icon: 'go-to-file' }));
  }
  detail.append(actions);
  const chartBox = h('div', { class: 'chart', attrs: { 'aria-label': `Series behind ${a.title}` } });
  detail.append(chartBox);
  try {
    const summaryOf = await seriesFor(a);
    if (!summaryOf) {
      chartBox.append(h('div', { class: 'muted', text: 'No series recorded for this alert' }));
      return;
    }
    const s = await bus.request('baselineSeries', { key: summaryOf.key });
    const signal = rule?.kind === 'latencyP95' ? 'p95' : rule?.kind === 'errorRate' ? 'errorRate' : undefined;
    chart = drawSeriesChart(chartBox, s, { signals: signal ? [signal] : undefined, threshold: rule?.threshold });
    document.body.dataset.chartDrawn = s.key;
  } catch (e) {
    chartBox.append(h('div', { class: 'error-text', text: `Could not load the series: ${(e as Error).message}` }));
  }
}

function renderRules(): void {
  clear(rulesBox);
  rulesBox.append(h('h3', { text: `Rules (${rules.length})` }));
  const table = h('table', { class: 'rules' }, h('tr', {}, ...['Rule', 'Kind', 'Subject', 'Condition', 'For', 'Severity'].map((t) => h('th', { text: t }))));
  for (const r of rules) {
    table.append(h('tr', {},
      h('td', { text: r.title ?? r.id }),
      h('td', { text: r.kind }),
      h('td', { text: [r.service, r.route, r.metric].filter(Boolean).join(' ') || '*' }),
      h('td', { text: r.threshold !== undefined ? `${r.op ?? '>'} ${r.threshold}` : '—' }),
      h('td', { text: r.for !== undefined ? String(r.for) : '—' }),
      h('td', { text: r.severity })));
  }
  rulesBox.append(table);
}

async function reload(): Promise<void> {
  try {
    const [alerts, rs] = await Promise.all([bus.request('alerts', {}), bus.request('alertRules', {})]);
    rules = rs.rules;
    alerts.sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.lastEvalMs - a.lastEvalMs);
    list.setItems(alerts);
    const n = (s: AlertView['state']) => alerts.filter((a) => a.state === s).length;
    summary.textContent = `${n('firing')} firing · ${n('pending')} pending · ${n('resolved')} resolved`;
    renderRules();
    document.body.dataset.alertsLoaded = String(alerts.length);
  } catch (e) {
    summary.textContent = `Could not load alerts: ${(e as Error).message}`;
  }
}

bus.onChanged((topics) => { if (!topics.length || topics.includes('alerts')) void reload(); });
bus.onShow((f) => {
  if (!f.alertKey) return;
  for (let i = 0; i < list.length; i++) if (list.item(i)?.key === f.alertKey) list.select(i);
});
bus.ready();
void reload();
