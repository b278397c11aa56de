// Incidents panel: list and detail with the timeline, acknowledge/resolve, notes, public
// status updates, suggested runbooks with a Run button, the suspected AI diffs (with why),
// and the AI diffs / commits that shipped shortly before the incident began.
import type { IncidentView, IncidentPublicState, Runbook } from '../../../collector/analysis/types';
import { PanelBus } from '../../lib/bus';
import { clear, h } from '../../lib/dom';
import { button, select } from '../../lib/elements';
import { formatDateTime, formatRelative } from '../../lib/format';
import { VirtualList } from '../../lib/virtualList';

const bus = new PanelBus('incidents');
/** "Shortly before": changes within this window before the incident opened. */
const CHANGE_WINDOW_MS = 6 * 3_600_000;
let runbooks: Runbook[] = [];
let currentId: string | undefined = bus.getState<{ id?: string }>()?.id;

const count = h('span', { class: 'muted' });
const list = new VirtualList<IncidentView>({
  rowHeight: 40,
  label: 'Incidents',
  render(row, i) {
    row.replaceChildren(
      h('span', { class: `inc-state state-${i.state}`, text: i.state }),
      h('span', { class: 'cell grow' }, h('div', { class: 'cell', text: `#${i.number} ${i.title}` }), h('div', { class: 'muted cell', text: `${i.service} · ${i.severity} · opened ${formatRelative(i.openedAtMs)}` })),
    );
  },
  onSelect: (i) => void openIncident(i.id),
});
const page = h('div', { class: 'scroll', attrs: { 'aria-label': 'Incident' } }, h('div', { class: 'empty', text: 'Select an incident' }));
document.getElementById('app')!.append(
  h('div', { class: 'toolbar' }, h('strong', { text: 'Incidents' }), h('span', { class: 'grow' }), count),
  h('div', { class: 'split' }, h('div', { class: 'pane left' }, list.element), h('div', { class: 'pane right' }, page)));

async function act(params: Parameters<typeof bus.request<'incidentAction'>>[1]): Promise<void> {
  try {
    await bus.request('incidentAction', params);
  } catch (e) {
    page.prepend(h('div', { class: 'error-text', text: `Action failed: ${(e as Error).message}` }));
    return;
  }
  await reload();
  await openIncident(params.incidentId);
}

function textArea(label: string): HTMLElement & { value: string } {
  return h('vscode-textarea', { attrs: { placeholder: label, 'aria-label': label, rows: '3' } }) as HTMLElement & { value: string };
}

async function openIncident(id: string): Promise<void> {
  currentId = id;
  bus.setState({ id });
  let inc: IncidentView;
  try {
    inc = await bus.request('incident', { id });
  } catch (e) {
    page.replaceChildren(h('div', { class: 'empty error-text', text: `Could not load the incident: ${(e as Error).message}` }));
    return;
  }
  clear(page);
  page.append(
    h('h2', { text: `#${inc.number} ${inc.title}` }),
    h('div', {}, h('span', { class: `state-${inc.state}`, text: inc.state.toUpperCase() }), h('span', { class: 'muted', text: ` · ${inc.severity} · ${inc.service} · opened ${formatDateTime(inc.openedAtMs)}${inc.acknowledgedAtMs ? ` · acknowledged ${formatDateTime(inc.acknowledgedAtMs)}` : ''}${inc.resolvedAtMs ? ` · resolved ${formatDateTime(inc.resolvedAtMs)}` : ''}` })),
    h('div', { class: 'actions' },
      inc.state === 'triggered' ? button('Acknowledge', () => void act({ action: 'ack', incidentId: id }), { icon: 'eye' }) : h('span'),
      inc.state !== 'resolved' ? button('Resolve', () => void act({ action: 'resolve', incidentId: id }), { icon: 'check' }) : h('span')),
  );
  // Suggested runbooks.
  const suggested = inc.runbookIds.map((rid) => runbooks.find((r) => r.id === rid) ?? { id: rid, title: rid, alerts: [], file: '', steps: [] });
  page.append(h('h3', { text: 'Suggested runbooks' }));
  if (!suggested.length) page.append(h('div', { class: 'muted', text: 'No runbook matches this incident' }));
  for (const r of suggested) page.append(h('div', { class: 'runbook' }, button('Run', () => bus.post({ type: 'runRunbook', runbookId: r.id, incidentId: id }), { icon: 'play' }), h('span', { text: r.title }), h('span', { class: 'muted', text: `${r.steps.length} steps` })));
  // Suspects: AI diffs in the revision that was running, most suspected first, with why.
  // Every string here comes from commits and telemetry: text nodes only (h's `text`).
  const suspects = inc.suspects ?? [];
  page.append(h('h3', { text: `Suspects (${suspects.length})` }));
  if (!suspects.length) page.append(h('div', { class: 'muted', text: 'No AI diff in the running revision is suspected' }));
  page.append(h('ol', { class: 'suspects', attrs: { 'aria-label': 'Suspected AI diffs' } }, ...suspects.map((s) => h('li', { class: 'suspect', attrs: { 'data-ai-diff-id': s.aiDiffId } },
    h('div', {}, h('span', { class: 'badge ai', text: 'AI diff' }), h('span', { class: 'suspect-text', text: ` ${s.text}` })),
    h('div', { class: 'muted suspect-why', text: `${s.commit ? `${s.commit.slice(0, 8)} · ` : ''}score ${Math.round(s.score)} · ${s.why}` })))));
  // What shipped shortly before.
  const changes = inc.timeline.filter((t) => (t.kind === 'aiDiff' || t.kind === 'deploy') && t.atMs <= inc.openedAtMs + 60_000 && t.atMs >= inc.openedAtMs - CHANGE_WINDOW_MS);
  page.append(h('h3', { text: 'Shipped shortly before' }));
  if (!changes.length) page.append(h('div', { class: 'muted', text: 'No deploys or AI diffs recorded in the 6 h before' }));
  for (const c of changes) page.append(h('div', { class: 'runbook' }, c.kind === 'aiDiff' ? h('span', { class: 'badge ai', text: 'AI diff' }) : h('span', { class: 'badge', text: 'deploy' }), h('span', { text: c.text }), h('span', { class: 'muted', text: `${c.commit ? c.commit.slice(0, 8) + ' · ' : ''}${formatRelative(c.atMs, inc.openedAtMs).replace('ago', 'before')}` })));
  // Timeline.
  page.append(h('h3', { text: 'Timeline' }), h('ul', { class: 'timeline' }, ...[...inc.timeline].sort((a, b) => a.atMs - b.atMs).map((t) => h('li', {}, h('span', { class: 'muted', text: formatDateTime(t.atMs) }), h('span', { class: 'kind', text: t.kind }), h('span', { text: `${t.text}${t.author ? ` — ${t.author}` : ''}` })))));
  // Notes and public updates.
  const note = textArea('Add a note (internal)');
  const update = textArea('Public status update (shown on the status page)');
  let status: IncidentPublicState = inc.publicUpdates[0]?.status ?? 'investigating';
  page.append(
    h('h3', { text: 'Note' }),
    h('div', { class: 'compose' }, note, h('div', { class: 'actions' }, button('Add note', () => { if (note.value.trim()) void act({ action: 'note', incidentId: id, text: note.value.trim() }); }, { secondary: true }))),
    h('h3', { text: `Public updates (${inc.publicUpdates.length})` }),
    ...inc.publicUpdates.map((u) => h('div', { class: 'runbook' }, h('strong', { text: u.status }), h('span', { text: u.message }), h('span', { class: 'muted', text: formatDateTime(u.atMs) }))),
    h('div', { class: 'compose' }, update, h('div', { class: 'actions' },
      select('Public state', [['investigating', 'Investigating'], ['identified', 'Identified'], ['monitoring', 'Monitoring'], ['resolved', 'Resolved']], (v) => { status = v as IncidentPublicState; }, status),
      button('Post update', () => { if (update.value.trim()) void act({ action: 'statusUpdate', incidentId: id, status, message: update.value.trim() }); }))),
  );
  document.body.dataset.incidentRendered = id;
}

async function reload(): Promise<void> {
  try {
    const [incidents, rbs] = await Promise.all([bus.request('incidents', {}), bus.request('runbooks', {}).catch((): Runbook[] => [])]);
    runbooks = rbs;
    const rank = { triggered: 0, acknowledged: 1, resolved: 2 };
    incidents.sort((a, b) => rank[a.state] - rank[b.state] || b.openedAtMs - a.openedAtMs);
    list.setItems(incidents);
    count.textContent = `${incidents.filter((i) => i.state !== 'resolved').length} open · ${incidents.length} total`;
    document.body.dataset.incidentsLoaded = String(incidents.length);
  } catch (e) {
    count.textContent = `Could not load incidents: ${(e as Error).message}`;
  }
}

bus.onChanged((topics) => {
  if (topics.length && !topics.includes('incidents')) return;
  void reload().then(() => { if (currentId) void openIncident(currentId); });
});
bus.onShow((f) => { if (f.incidentId) void openIncident(f.incidentId); });
bus.ready();
void reload().then(() => { if (currentId) void openIncident(currentId); });
