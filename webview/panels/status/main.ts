// Status panel: a preview of the public status page (the same whitelisted, scrubbed data the
// collector publishes at /status) and a form to post public updates to open incidents.
import type { ComponentView, IncidentView, IncidentPublicState as PublicState } from '../../../collector/analysis/types';
import { toPublicStatus } from '../../../collector/status/publicView';
import { STATUS_LABEL, barClass, uptimeWindow } from '../../../collector/status/render';
import type { PublicStatus } from '../../../collector/status/types';
import { PanelBus } from '../../lib/bus';
import { clear, h } from '../../lib/dom';
import { button, select } from '../../lib/elements';
import { formatDateTime } from '../../lib/format';

const bus = new PanelBus('status');
const preview = h('div', { class: 'status-page', attrs: { 'aria-label': 'Public status page preview' } });
const compose = h('div', { class: 'status-page' });
document.getElementById('app')!.append(
  h('div', { class: 'toolbar' }, h('strong', { text: 'Public status page (preview)' }), h('span', { class: 'grow' }), button('Refresh', () => void reload(), { secondary: true, icon: 'refresh' })),
  h('div', { class: 'scroll' }, compose, preview));

function component(c: ComponentView, nowMs: number): HTMLElement {
  const bars = h('div', { class: 'bars', attrs: { role: 'img', 'aria-label': `${c.name}: ${(c.uptime90d * 100).toFixed(2)}% uptime over 90 days` } });
  for (const { date, day } of uptimeWindow(c.history, nowMs)) bars.append(h('span', { class: `bar ${barClass(day)}`, title: day?.observedMin ? `${date}: ${(day.uptime * 100).toFixed(2)}%` : `${date}: no data` }));
  const el = h('div', { class: 'component', attrs: { 'data-status': c.status, 'data-id': c.id } },
    h('div', { class: 'component-head' }, h('strong', { text: c.name }), h('span', { class: `s-${c.status}`, text: STATUS_LABEL[c.status] })),
    bars,
    h('div', { class: 'muted', text: `${(c.uptime90d * 100).toFixed(2)}% uptime, 90 days` }));
  return el;
}

function renderPreview(raw: PublicStatus): void {
  const s = toPublicStatus(raw);
  clear(preview);
  preview.append(h('div', { class: `overall s-${s.overall}`, attrs: { role: 'status' }, text: s.overall === 'operational' ? 'All systems operational' : STATUS_LABEL[s.overall] }));
  for (const i of s.incidents.filter((x) => x.state !== 'resolved')) {
    preview.append(h('div', { class: 'incident-box' },
      h('strong', { text: i.title }),
      h('div', { class: 'muted', text: `${i.state} · since ${formatDateTime(i.startedAtMs)}` }),
      ...[...i.updates].sort((a, b) => b.atMs - a.atMs).map((u) => h('div', {}, h('strong', { text: `${u.status} ` }), h('span', { text: u.message }), h('span', { class: 'muted', text: ` · ${formatDateTime(u.atMs)}` })))));
  }
  for (const c of s.components) preview.append(component(c, s.generatedAtMs));
  if (!s.components.length) preview.append(h('div', { class: 'muted', text: 'No status components configured' }));
  document.body.dataset.statusRendered = String(s.generatedAtMs);
}

function renderCompose(open: IncidentView[]): void {
  clear(compose);
  if (!open.length) {
    compose.append(h('div', { class: 'muted', text: 'No open incidents: nothing to post.' }));
    return;
  }
  for (const inc of open) {
    const text = h('vscode-textarea', { attrs: { placeholder: `Public update for "${inc.publicTitle || inc.title}"`, 'aria-label': `Public update for incident ${inc.number}`, rows: '2' } }) as HTMLElement & { value: string };
    let state: PublicState = inc.publicUpdates[0]?.status ?? 'investigating';
    compose.append(h('div', { class: 'compose' },
      h('strong', { text: `#${inc.number} ${inc.publicTitle || inc.title}` }),
      text,
      h('div', { class: 'actions' },
        select('Public state', [['investigating', 'Investigating'], ['identified', 'Identified'], ['monitoring', 'Monitoring'], ['resolved', 'Resolved']], (v) => { state = v as PublicState; }, state),
        button('Post update', async () => {
          const message = text.value.trim();
          if (!message) return;
          await bus.request('incidentAction', { action: 'statusUpdate', incidentId: inc.id, status: state, message });
          text.value = '';
          await reload();
        }))));
  }
}

async function reload(): Promise<void> {
  try {
    const [status, incidents] = await Promise.all([bus.request('status', {}), bus.request('incidents', {})]);
    renderCompose(incidents.filter((i) => i.state !== 'resolved'));
    renderPreview(status);
  } catch (e) {
    preview.replaceChildren(h('div', { class: 'error-text', text: `Could not load the status: ${(e as Error).message}` }));
  }
}

bus.onChanged((topics) => { if (!topics.length || topics.some((t) => t === 'status' || t === 'incidents' || t === 'alerts')) void reload(); });
bus.ready();
void reload();
