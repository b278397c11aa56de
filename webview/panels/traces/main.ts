// Traces panel: a filterable trace list and a trace view (waterfall + span details).
import type { SpanView, TraceFilter, TraceSummary } from '../../../collector/live/protocol';
import { PanelBus } from '../../lib/bus';
import { clear, h, icon, kvTable } from '../../lib/dom';
import { button, checkbox, debounce, select, setOptions, textField } from '../../lib/elements';
import { formatClock, formatDuration, severityName, shortPath } from '../../lib/format';
import { VirtualList } from '../../lib/virtualList';
import { buildWaterfall, type Waterfall, type WaterfallRow } from './waterfall';

interface SavedState { traceId?: string; filter?: TraceFilter & { aiOnly?: boolean } }

const bus = new PanelBus('traces');
const saved = bus.getState<SavedState>() ?? {};
const filter: TraceFilter & { aiOnly?: boolean } = { limit: 1000, ...saved.filter };
let rangeMs = 0;
let currentSpans: SpanView[] = [];
let currentTraceId: string | undefined;
let waterfall: Waterfall | undefined;
const expanded = new Set<string>();

const count = h('span', { class: 'muted', attrs: { 'aria-live': 'polite' } });
const serviceSelect = select('Service', [['', 'All services']], (v) => { filter.service = v || undefined; reload(); });
const toolbar = h('div', { class: 'toolbar', attrs: { role: 'search' } },
  textField('Search name, route, attribute', debounce((v: string) => { filter.text = v || undefined; reload(); }, 200), filter.text ?? ''),
  textField('Route', debounce((v: string) => { filter.route = v || undefined; reload(); }, 200), filter.route ?? ''),
  serviceSelect,
  select('Status', [['', 'Any status'], ['error', 'Errors'], ['ok', 'OK']], (v) => { filter.status = (v || undefined) as TraceFilter['status']; reload(); }, filter.status ?? ''),
  textField('Min ms', debounce((v: string) => { const n = Number(v); filter.minDurationMs = v && Number.isFinite(n) ? n : undefined; reload(); }, 200)),
  select('Time range', [['0', 'All time'], ['900000', 'Last 15 min'], ['3600000', 'Last hour'], ['86400000', 'Last 24 h']], (v) => { rangeMs = Number(v); reload(); }, '0'),
  checkbox('Touches an AI diff', (c) => { filter.aiOnly = c || undefined; reload(); }),
  h('span', { class: 'grow' }),
  count,
  button('Refresh', () => reload(), { secondary: true, icon: 'refresh' }),
);

const list = new VirtualList<TraceSummary>({
  rowHeight: 24,
  label: 'Traces',
  render(row, t) {
    let c = row.children as HTMLCollectionOf<HTMLElement>;
    if (c.length !== 5) {
      row.replaceChildren(h('span', {}, icon('pass')), h('span', { class: 'cell grow' }), h('span', { class: 'cell muted' }), h('span', { class: 'cell num' }), h('span', { class: 'cell time' }));
      c = row.children as HTMLCollectionOf<HTMLElement>;
    }
    c[0].className = t.errorCount ? 'error-text' : 'muted';
    c[0].title = t.errorCount ? `${t.errorCount} error span(s)` : '';
    (c[0].firstElementChild as HTMLElement).className = `codicon codicon-${t.errorCount ? 'error' : 'pass'}`;
    c[1].textContent = t.rootName;
    c[2].textContent = t.service;
    c[3].textContent = formatDuration(t.durationMs);
    c[4].textContent = formatClock(t.startMs);
  },
  onActivate: (t) => void openTrace(t.traceId),
});

const traceHead = h('div', { class: 'trace-head' }, h('span', { class: 'muted', text: 'Select a trace' }));
const wf = new VirtualList<WaterfallRow>({
  rowHeight: 22,
  label: 'Spans of the trace',
  render: renderWaterfallRow,
  onSelect: (r) => showDetails(r),
  onActivate: (r) => {
    if (r.kind === 'group') toggleGroup(r.key);
  },
});
const details = h('div', { class: 'details', attrs: { 'aria-label': 'Span details' } });

document.getElementById('app')!.append(
  toolbar,
  h('div', { class: 'split' },
    h('div', { class: 'pane left' }, h('div', { class: 'pane-title', text: 'Traces' }), list.element),
    h('div', { class: 'pane right' }, h('div', { class: 'trace-main' }, traceHead, wf.element), details),
  ),
);

// Row parts are built once per recycled row element and then only updated: scrolling
// 100k rows must not create elements on every frame.
interface WfParts { indent: HTMLElement; toggle: HTMLElement; label: HTMLElement; bar: HTMLElement; dur: HTMLElement }
const wfParts = new WeakMap<HTMLElement, WfParts>();

function renderWaterfallRow(row: HTMLElement, r: WaterfallRow): void {
  const w = waterfall!;
  let p = wfParts.get(row);
  if (!p) {
    p = { indent: h('span', { class: 'wf-indent' }), toggle: h('span', { class: 'wf-toggle codicon' }), label: h('span', { class: 'wf-label' }), bar: h('span', { class: 'wf-bar' }), dur: h('span', { class: 'wf-dur' }) };
    row.replaceChildren(h('span', { class: 'wf-name' }, p.indent, p.toggle, p.label), h('span', { class: 'wf-track' }, p.bar), p.dur);
    wfParts.set(row, p);
  }
  const total = Math.max(w.endMs - w.startMs, 1e-6);
  const start = r.kind === 'span' ? r.span.startMs : r.startMs;
  const dur = r.kind === 'span' ? r.span.durationMs : r.endMs - r.startMs;
  const error = r.kind === 'span' ? r.hasError : r.errors > 0;
  p.indent.style.width = `${Math.min(r.depth, 40) * 12}px`;
  p.toggle.className = r.kind === 'group' ? `wf-toggle codicon codicon-${r.expanded ? 'chevron-down' : 'chevron-right'}` : 'wf-toggle';
  p.label.textContent = r.kind === 'span' ? r.span.name : `${r.name} ×${r.spans.length} (repeated)`;
  p.label.title = r.kind === 'span' ? `${r.span.service} · ${r.span.name}` : 'Repeated sibling calls: a likely N+1';
  p.bar.className = `wf-bar${r.kind === 'group' ? ' group' : ''}${error ? ' error' : ''}`;
  p.bar.style.left = `${((start - w.startMs) / total) * 100}%`;
  p.bar.style.width = `${(dur / total) * 100}%`;
  p.dur.textContent = formatDuration(dur);
  row.classList.toggle('error-row', error);
}

function toggleGroup(key: string): void {
  if (expanded.has(key)) expanded.delete(key);
  else expanded.add(key);
  const sel = wf.selectedIndex;
  waterfall = buildWaterfall(currentSpans, expanded);
  wf.setItems(waterfall.rows);
  if (sel >= 0) wf.select(sel);
}

function showDetails(r: WaterfallRow): void {
  clear(details);
  if (r.kind === 'group') {
    const total = r.spans.reduce((a, s) => a + s.durationMs, 0);
    details.append(
      h('h2', { text: `${r.name} repeated ${r.spans.length} times` }),
      h('div', { class: 'muted', text: `Sibling calls one after another under one parent — the N+1 pattern. Sum ${formatDuration(total)}, wall ${formatDuration(r.endMs - r.startMs)}.` }),
      h('div', { class: 'actions' }, button(r.expanded ? 'Collapse' : 'Expand', () => toggleGroup(r.key), { secondary: true })),
    );
    const first = r.spans[0];
    if (first.location) details.append(openSourceButton(first.location));
    else if (first.issuedFrom) details.append(issuedFrom(first.issuedFrom));
    return;
  }
  const s = r.span;
  details.append(
    h('h2', { text: s.name }),
    h('div', { class: 'muted', text: `${s.service} · ${formatDuration(s.durationMs)} · started ${formatClock(s.startMs)}${s.statusCode === 2 ? ' · ERROR' : ''}` }),
  );
  if (s.statusCode === 2 && s.statusMessage) details.append(h('div', { class: 'error-text', text: s.statusMessage }));
  if (s.location) details.append(openSourceButton(s.location));
  else if (s.issuedFrom) details.append(issuedFrom(s.issuedFrom));
  details.append(h('h3', { text: 'Attributes' }), kvTable(s.attributes));
  if (s.events.length) {
    details.append(h('h3', { text: 'Events' }));
    for (const e of s.events) details.append(h('div', {}, h('span', { class: 'muted', text: `${formatClock(e.timeMs)} ` }), h('span', { text: e.name })), kvTable(e.attributes, ''));
  }
  const logsBox = h('div', { class: 'muted', text: 'Loading logs…' });
  details.append(h('h3', { text: 'Logs of this trace' }), logsBox);
  bus.request('logs', { traceId: s.traceId, limit: 200 }).then((logs) => {
    clear(logsBox);
    logsBox.className = '';
    if (!logs.length) logsBox.append(h('span', { class: 'muted', text: 'No logs with this trace id' }));
    for (const l of logs) {
      const sev = severityName(l.severityNumber, l.severityText);
      logsBox.append(h('div', { class: 'log-line' }, h('span', { class: 'muted', text: formatClock(l.timeMs) }), h('span', { class: `sev-${sev}`, text: sev }), h('span', { text: l.body })));
    }
  }, (e: Error) => { logsBox.textContent = `Could not load logs: ${e.message}`; });
}

/** A span with no location of its own (a query, a client call): the handler that issued it. */
function issuedFrom(loc: { file: string; line: number; column?: number; function?: string }): HTMLElement {
  const where = `${loc.function ? `${loc.function}() at ` : ''}${shortPath(loc.file)}:${loc.line}`;
  return h('div', { class: 'issued-from' }, h('div', { class: 'muted', text: `Issued from ${where} (no location of its own)` }), openSourceButton(loc));
}

function openSourceButton(loc: { file: string; line: number; column?: number }): HTMLElement {
  return h('div', { class: 'actions' }, button(`Open ${shortPath(loc.file)}:${loc.line}`, () => bus.post({ type: 'openSource', location: { file: loc.file, line: loc.line, ...(loc.column ? { column: loc.column } : {}) } }), { icon: 'go-to-file', title: 'Open source' }));
}

async function openTrace(traceId: string): Promise<void> {
  currentTraceId = traceId;
  bus.setState({ traceId, filter } satisfies SavedState);
  traceHead.replaceChildren(h('span', { class: 'muted', text: 'Loading trace…' }));
  try {
    currentSpans = await bus.request('trace', { traceId });
  } catch (e) {
    traceHead.replaceChildren(h('span', { class: 'error-text', text: `Could not load trace: ${(e as Error).message}` }));
    return;
  }
  if (currentTraceId !== traceId) return;
  // User Timing marks: visible in devtools, and read by bench/panels.ts.
  performance.mark('vw:trace-data');
  expanded.clear();
  waterfall = buildWaterfall(currentSpans, expanded);
  traceHead.replaceChildren(
    h('span', { class: 'mono', text: traceId }),
    h('span', { text: `${waterfall.spanCount} spans` }),
    h('span', { text: formatDuration(waterfall.endMs - waterfall.startMs) }),
    ...(waterfall.errorCount ? [h('span', { class: 'error-text', text: `${waterfall.errorCount} errors` })] : []),
  );
  wf.setItems(waterfall.rows, false);
  clear(details);
  if (waterfall.rows.length) wf.select(0); // the root's details right away
  performance.measure('vw:trace-render', 'vw:trace-data');
  document.body.dataset.traceRendered = String(waterfall.rows.length);
}

let knownServices = new Set<string>();
// Filters change faster than answers arrive: only the newest request's answer is shown.
let reloadSeq = 0;
async function reload(): Promise<void> {
  const seq = ++reloadSeq;
  const params: TraceFilter & { aiOnly?: boolean } = { ...filter };
  if (rangeMs) params.sinceMs = Date.now() - rangeMs;
  bus.setState({ traceId: currentTraceId, filter } satisfies SavedState);
  try {
    const traces = await bus.request('traces', params);
    if (seq !== reloadSeq) return;
    list.setItems(traces);
    count.textContent = `${traces.length} traces`;
    const services = new Set([...knownServices, ...traces.map((t) => t.service)]);
    if (services.size !== knownServices.size) {
      knownServices = services;
      setOptions(serviceSelect, [['', 'All services'], ...[...services].sort().map((s): [string, string] => [s, s])], filter.service ?? '');
    }
    document.body.dataset.tracesLoaded = String(traces.length);
  } catch (e) {
    count.textContent = `Could not load traces: ${(e as Error).message}`;
  }
}

bus.onChanged((topics) => { if (!topics.length || topics.includes('spans')) void reload(); });
const fileChip = h('span', { class: 'badge', attrs: { hidden: '' } });
toolbar.insertBefore(fileChip, count);
function setFileFilter(file: string | undefined): void {
  filter.files = file ? [file] : undefined;
  fileChip.hidden = !file;
  fileChip.replaceChildren(...(file ? [h('span', { text: `in ${shortPath(file)} ` }), h('button', { class: 'link', text: '✕', title: 'Show traces of every file', on: { click: () => { setFileFilter(undefined); void reload(); } } })] : []));
}
setFileFilter(filter.files?.[0]);
bus.onShow((focus) => {
  if (focus.file) {
    setFileFilter(focus.file);
    void reload();
  }
  if (focus.traceId) void openTrace(focus.traceId);
});
bus.ready();
void reload();
if (saved.traceId) void openTrace(saved.traceId);
