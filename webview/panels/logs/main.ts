// Logs panel: structured log records with full-text, severity, service, trace id and
// attribute filters; live tail; a record's attributes/resource; its trace one click away.
import type { LogFilter, LogView } from '../../../collector/live/protocol';
import { PanelBus } from '../../lib/bus';
import { clear, h, icon, kvTable } from '../../lib/dom';
import { button, checkbox, debounce, select, textField } from '../../lib/elements';
import { formatClock, formatDateTime, severityName, shortPath } from '../../lib/format';
import { VirtualList } from '../../lib/virtualList';

const bus = new PanelBus('logs');
const filter: LogFilter = { limit: 5000, ...(bus.getState<{ filter?: LogFilter }>()?.filter ?? {}) };
let tail = false;

const count = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
const traceField = textField('Trace id', debounce((v: string) => { filter.traceId = v.trim() || undefined; void reload(); }, 250), filter.traceId ?? '');
// Set from a lens or hover ("logs of this line"); shown as a chip that clears it.
const locationChip = h('span', { class: 'chip', attrs: { 'data-role': 'location-filter' } });
function renderLocationChip(): void {
  clear(locationChip);
  locationChip.hidden = !filter.file;
  if (!filter.file) return;
  locationChip.append(
    h('span', { text: `${shortPath(filter.file)}${filter.line ? `:${filter.line}` : ''}` }),
    button('Clear', () => { filter.file = undefined; filter.line = undefined; renderLocationChip(); void reload(); }, { secondary: true, icon: 'close', title: 'Show logs from every location' }),
  );
}
renderLocationChip();
const toolbar = h('div', { class: 'toolbar', attrs: { role: 'search' } },
  textField('Search text', debounce((v: string) => { filter.text = v || undefined; void reload(); }, 250), filter.text ?? ''),
  select('Minimum severity', [['0', 'All severities'], ['5', 'DEBUG+'], ['9', 'INFO+'], ['13', 'WARN+'], ['17', 'ERROR+']], (v) => { filter.minSeverity = Number(v) || undefined; void reload(); }, String(filter.minSeverity ?? 0)),
  textField('Service', debounce((v: string) => { filter.service = v.trim() || undefined; void reload(); }, 250), filter.service ?? ''),
  traceField,
  textField('attribute=value', debounce((v: string) => {
    const i = v.indexOf('=');
    filter.attribute = i > 0 ? { key: v.slice(0, i).trim(), value: v.slice(i + 1).trim() } : undefined;
    void reload();
  }, 250)),
  locationChip,
  checkbox('Live tail', (c) => { tail = c; if (c) void reload(); }),
  h('span', { class: 'grow' }),
  count,
);

const list = new VirtualList<LogView>({
  rowHeight: 22,
  label: 'Log records',
  render(row, l) {
    const sev = severityName(l.severityNumber, l.severityText);
    row.replaceChildren(
      h('span', { class: 'cell time', text: formatClock(l.timeMs) }),
      h('span', { class: `log-sev sev-${sev}`, text: sev }),
      h('span', { class: 'log-svc cell', text: l.service }),
      h('span', { class: 'log-body cell', text: l.body }),
      l.traceId ? h('span', { class: 'log-trace', title: `Trace ${l.traceId}` }, icon('type-hierarchy')) : h('span'),
    );
  },
  onSelect: (l) => showDetails(l),
});
const details = h('div', { class: 'details', attrs: { 'aria-label': 'Log record details' } }, h('div', { class: 'muted', text: 'Select a record' }));

document.getElementById('app')!.append(toolbar, h('div', { class: 'pane right' }, list.element), details);
document.getElementById('app')!.classList.add('logs');

function showDetails(l: LogView): void {
  clear(details);
  const sev = severityName(l.severityNumber, l.severityText);
  details.append(
    h('div', {}, h('span', { class: `sev-${sev}`, text: `${sev} ` }), h('span', { class: 'muted', text: `${formatDateTime(l.timeMs)} · ${l.service}` })),
    h('pre', { class: 'mono', text: l.body }),
  );
  const actions = h('div', { class: 'actions' });
  if (l.traceId) {
    const traceId = l.traceId;
    actions.append(button('Open trace', () => bus.post({ type: 'showPanel', panel: 'traces', focus: { traceId } }), { icon: 'type-hierarchy' }));
    actions.append(button('Logs of this trace', () => { filter.traceId = traceId; traceField.value = traceId; void reload(); }, { secondary: true }));
  }
  if (l.location) {
    const loc = l.location;
    actions.append(button(`Open ${shortPath(loc.file)}:${loc.line}`, () => bus.post({ type: 'openSource', location: { file: loc.file, line: loc.line } }), { icon: 'go-to-file' }));
  }
  if (actions.childElementCount) details.append(actions);
  details.append(h('h3', { text: 'Attributes' }), kvTable(l.attributes), h('h3', { text: 'Resource' }), kvTable(l.resource));
}

// Filters change faster than answers arrive: only the newest request's answer is shown.
let reloadSeq = 0;
async function reload(): Promise<void> {
  const seq = ++reloadSeq;
  bus.setState({ filter });
  try {
    const logs = await bus.request('logs', filter);
    if (seq !== reloadSeq) return;
    list.setItems(logs);
    count.textContent = `${logs.length} records${tail ? ' · tailing' : ''}`;
    if (tail) list.element.scrollTop = 0; // newest first: the tail is the top
    document.body.dataset.logsLoaded = String(logs.length);
  } catch (e) {
    count.textContent = `Could not load logs: ${(e as Error).message}`;
  }
}

bus.onChanged((topics) => { if (tail && (!topics.length || topics.includes('logs'))) void reload(); });
bus.onShow((focus) => {
  if (!focus.logFilter && !focus.file) return;
  if (focus.logFilter) Object.assign(filter, focus.logFilter);
  if (focus.file) {
    filter.file = focus.file;
    filter.line = focus.line;
  }
  traceField.value = filter.traceId ?? '';
  renderLocationChip();
  void reload();
});
bus.ready();
void reload();
