// Errors panel: error groups (state, counts over time, first/last seen, revision, AI diff)
// and a group page (parsed stack with clickable in-app frames, recent events, their traces
// and the logs of those traces), with resolve / ignore / merge.
import type { ErrorGroupState, ErrorGroupView } from '../../../collector/analysis/types';
import type { LogView } from '../../../collector/live/protocol';
import type { ErrorGroupDetail } from '../../protocol';
import { PanelBus } from '../../lib/bus';
import { clear, h } from '../../lib/dom';
import { button, select } from '../../lib/elements';
import { formatClock, formatCount, formatDateTime, formatRelative, severityName, shortPath } from '../../lib/format';
import { countsFromHourly, sparkline, hourlyCounts } from '../../lib/sparkline';
import { VirtualList } from '../../lib/virtualList';
import { framesOf } from './stack';

const bus = new PanelBus('errors');
let stateFilter: ErrorGroupState | '' = '';
let current: ErrorGroupDetail | undefined;
let groups: ErrorGroupView[] = [];

const count = h('span', { class: 'muted' });
const toolbar = h('div', { class: 'toolbar' },
  select('State', [['', 'All states'], ['new', 'New'], ['ongoing', 'Ongoing'], ['regressed', 'Regressed'], ['resolved', 'Resolved'], ['ignored', 'Ignored']], (v) => { stateFilter = v as ErrorGroupState | ''; void reload(); }),
  h('span', { class: 'grow' }), count,
);
const list = new VirtualList<ErrorGroupView>({
  rowHeight: 40,
  label: 'Error groups',
  render(row, g) {
    row.replaceChildren(
      h('span', { class: `err-state state-${g.state}`, text: g.state }),
      h('span', { class: 'cell grow' },
        h('div', { class: 'err-title cell', text: `${g.type}: ${g.title}` }),
        h('div', { class: 'muted cell', text: `${g.services.join(', ')} · last ${formatRelative(g.lastSeenMs)} · first ${formatRelative(g.firstSeenMs)}${g.revisions.length ? ` · ${g.revisions[g.revisions.length - 1].slice(0, 8)}` : ''}` })),
      g.attribution?.aiDiffId ? h('span', { class: 'badge ai', text: 'AI diff', title: g.attribution.summary ?? g.attribution.aiDiffId }) : h('span'),
      sparkline(g.hourly ? countsFromHourly(g.hourly, 24) : hourlyCounts(g.samples.map((s) => s.atMs), 24)),
      h('span', { class: 'cell num', text: formatCount(g.count) }),
    );
  },
  onActivate: (g) => void openGroup(g.id),
});
const page = h('div', { class: 'scroll details-page', attrs: { 'aria-label': 'Error group' } }, h('div', { class: 'empty', text: 'Select an error group' }));
document.getElementById('app')!.append(toolbar, h('div', { class: 'split' },
  h('div', { class: 'pane left' }, h('div', { class: 'pane-title', text: 'Error groups' }), list.element),
  h('div', { class: 'pane right' }, page)));

async function act(action: 'resolve' | 'ignore' | 'unignore'): Promise<void> {
  if (!current) return;
  await bus.request('errorAction', { action, groupId: current.id });
  await reload();
  await openGroup(current.id);
}

function mergeControls(g: ErrorGroupDetail): HTMLElement {
  const others = groups.filter((o) => o.id !== g.id);
  if (!others.length) return h('span');
  let target = others[0].id;
  const pick = select('Merge into this group', others.map((o): [string, string] => [o.id, `${o.type}: ${o.title}`.slice(0, 60)]), (v) => { target = v; }, target);
  return h('span', { class: 'actions' }, pick, button('Merge', async () => {
    await bus.request('errorAction', { action: 'merge', groupId: g.id, otherIds: [target] });
    await reload();
    await openGroup(g.id);
  }, { secondary: true, title: 'Merge the selected group into this one' }));
}

async function openGroup(id: string): Promise<void> {
  let g: ErrorGroupDetail;
  try {
    g = await bus.request('errorGroup', { id });
  } catch (e) {
    page.replaceChildren(h('div', { class: 'empty error-text', text: `Could not load the group: ${(e as Error).message}` }));
    return;
  }
  current = g;
  bus.setState({ groupId: id });
  clear(page);
  page.append(
    h('h2', { class: 'err-title', text: `${g.type}: ${g.title}` }),
    h('div', { class: 'group-head' },
      h('span', { class: `state-${g.state}`, text: g.state.toUpperCase() }),
      h('span', { text: `${formatCount(g.count)} events` }),
      h('span', { class: 'muted', text: `first ${formatDateTime(g.firstSeenMs)} · last ${formatDateTime(g.lastSeenMs)}` }),
      g.revisions.length ? h('span', { class: 'muted', text: `revisions ${g.revisions.map((r) => r.slice(0, 8)).join(', ')}` }) : h('span'),
      g.attribution?.aiDiffId ? h('span', { class: 'badge ai', text: `AI diff: ${g.attribution.summary ?? g.attribution.aiDiffId}` }) : h('span')),
    h('div', { class: 'actions' },
      g.state === 'ignored' ? button('Stop ignoring', () => void act('unignore'), { secondary: true }) : button('Ignore', () => void act('ignore'), { secondary: true }),
      g.state === 'resolved' ? h('span') : button('Resolve', () => void act('resolve'), { icon: 'check' }),
      mergeControls(g)),
    h('h3', { text: 'Stack' }),
  );
  const frames = framesOf(g);
  if (!frames.length) page.append(h('div', { class: 'muted', text: 'No stack trace recorded' }));
  for (const f of frames) {
    const fn = h('span', { class: 'muted', text: f.function ?? '' });
    if (f.inApp && f.file && f.line) {
      const loc = { file: f.file, line: f.line, ...(f.column ? { column: f.column } : {}) };
      page.append(h('div', { class: 'frame app' }, h('button', { class: 'link', text: `${shortPath(f.file)}:${f.line}`, title: `Open ${f.file}:${f.line}`, on: { click: () => bus.post({ type: 'openSource', location: loc }) } }), fn));
    } else page.append(h('div', { class: 'frame lib', text: f.raw }));
  }
  page.append(h('h3', { text: 'Recent events' }));
  for (const s of g.samples.slice(0, 20)) {
    const traceId = s.traceId;
    page.append(h('div', { class: 'event-row' },
      h('span', { class: 'muted', text: formatDateTime(s.atMs) }),
      h('span', { class: 'cell grow', text: `${s.service}${s.revision ? `@${s.revision.slice(0, 8)}` : ''} — ${s.message}` }),
      traceId ? h('button', { class: 'link', text: 'trace', title: `Open trace ${traceId}`, on: { click: () => bus.post({ type: 'showPanel', panel: 'traces', focus: { traceId } }) } }) : h('span')));
  }
  // The context the error happened in: logs of the same traces.
  const traceIds = [...new Set(g.samples.map((s) => s.traceId).filter((t): t is string => !!t))].slice(0, 5);
  const logsBox = h('div', { class: 'logs-context' });
  page.append(h('h3', { text: 'Logs of these traces' }), logsBox);
  const batches = await Promise.all(traceIds.map((traceId) => bus.request('logs', { traceId, limit: 50 }).catch((): LogView[] => [])));
  const logs = batches.flat().sort((a, b) => a.timeMs - b.timeMs);
  if (!logs.length) logsBox.append(h('div', { class: 'muted', text: 'No logs with these trace ids' }));
  for (const l of logs) {
    const sev = severityName(l.severityNumber, l.severityText);
    logsBox.append(h('div', { class: 'event-row mono' }, h('span', { class: 'muted', text: formatClock(l.timeMs) }), h('span', { class: `sev-${sev}`, text: sev }), h('span', { text: l.body })));
  }
  document.body.dataset.groupRendered = g.id;
}

// Filters change faster than answers arrive: only the newest request's answer is shown.
let reloadSeq = 0;
async function reload(): Promise<void> {
  const seq = ++reloadSeq;
  try {
    const answer = await bus.request('errors', stateFilter ? { state: stateFilter } : {});
    if (seq !== reloadSeq) return;
    groups = answer;
    list.setItems(groups);
    count.textContent = `${groups.length} groups`;
    document.body.dataset.groupsLoaded = String(groups.length);
  } catch (e) {
    count.textContent = `Could not load errors: ${(e as Error).message}`;
  }
}

bus.onChanged((topics) => { if (!topics.length || topics.includes('errors')) void reload(); });
bus.onShow((f) => { if (f.errorGroupId) void openGroup(f.errorGroupId); });
bus.ready();
void reload();
const saved = bus.getState<{ groupId?: string }>();
if (saved?.groupId) void openGroup(saved.groupId);
