// Renders the public status page as one self-contained HTML document (no script; refresh
// via <meta refresh>; styles in one nonce'd <style> under a strict CSP). Pure function.
import type { ComponentStatus, ComponentView, PublicIncidentView, UptimeDay } from '../analysis/types';
import { escapeHtml as e } from './escape';
import { toPublicStatus } from './publicView';
import type { PublicStatus, StatusPageOptions } from './types';
import { STATUS_CSS } from './style';

export const STATUS_LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};
const OVERALL_TEXT: Record<ComponentStatus, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Some systems are degraded',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};
const DAY_MS = 86_400_000;
export const UPTIME_DAYS = 90;

export function statusPageCsp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const when = (ms: number) => `<time datetime="${iso(ms)}">${e(iso(ms).replace('T', ' ').slice(0, 16))} UTC</time>`;

/** The 90 days ending on the day of `nowMs` (UTC), oldest first, filled from `history`. */
export function uptimeWindow(history: UptimeDay[], nowMs: number): { date: string; day?: UptimeDay }[] {
  const byDate = new Map(history.map((d) => [d.date, d]));
  const out: { date: string; day?: UptimeDay }[] = [];
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  for (let k = UPTIME_DAYS - 1; k >= 0; k--) {
    const date = new Date(today - k * DAY_MS).toISOString().slice(0, 10);
    out.push({ date, day: byDate.get(date) });
  }
  return out;
}

/** CSS class of one day's uptime bar (shared with the Status panel's preview). */
export function barClass(day?: UptimeDay): string {
  if (!day || day.observedMin === 0) return 'nodata';
  if (day.majorMin > 0) return 'major';
  if (day.partialMin > 0) return 'partial';
  if (day.degradedMin > 0) return 'degraded';
  return 'up';
}

function component(c: ComponentView, nowMs: number): string {
  const bars = uptimeWindow(c.history, nowMs).map(({ date, day }) => {
    const label = day && day.observedMin ? `${date}: ${(day.uptime * 100).toFixed(2)}% uptime` : `${date}: no data`;
    return `<span class="bar ${barClass(day)}" title="${e(label)}" aria-label="${e(label)}"></span>`;
  });
  return `<section class="component" id="c-${e(c.id)}" data-status="${c.status}">
<div class="component-head"><h2>${e(c.name)}</h2><span class="state s-${c.status}">${STATUS_LABEL[c.status]}</span></div>
<div class="bars" role="img" aria-label="${e(`${c.name}: ${(c.uptime90d * 100).toFixed(2)}% uptime over ${UPTIME_DAYS} days`)}">${bars.join('')}</div>
<div class="bars-legend"><span>${UPTIME_DAYS} days ago</span><span>${(c.uptime90d * 100).toFixed(2)}% uptime</span><span>Today</span></div>
</section>`;
}

function incident(i: PublicIncidentView, names: Map<string, string>): string {
  const comps = i.components.map((id) => names.get(id) ?? id).join(', ');
  const updates = [...i.updates].sort((a, b) => b.atMs - a.atMs).map((u) => `<li class="update"><strong class="i-${u.status}">${e(cap(u.status))}</strong> — ${e(u.message)}<br><span class="muted">${when(u.atMs)}</span></li>`);
  return `<article class="incident impact-${i.impact}" id="i-${e(i.id)}" data-state="${i.state}">
<h3>${e(i.title)}</h3>
<p class="muted">${e(cap(i.state))} · started ${when(i.startedAtMs)}${i.resolvedAtMs ? ` · resolved ${when(i.resolvedAtMs)}` : ''}${comps ? ` · affects ${e(comps)}` : ''}</p>
<ul class="updates">${updates.join('')}</ul>
</article>`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function renderStatusHtml(input: PublicStatus, opts: StatusPageOptions, nonce: string): string {
  const s = toPublicStatus(input);
  const names = new Map(s.components.map((c) => [c.id, c.name]));
  const open = s.incidents.filter((i) => i.state !== 'resolved');
  const past = s.incidents.filter((i) => i.state === 'resolved');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${e(statusPageCsp(nonce))}">
${opts.refreshSec > 0 ? `<meta http-equiv="refresh" content="${Math.max(1, Math.floor(opts.refreshSec))}">` : ''}
<title>${e(opts.title)} status</title>
<link rel="alternate" type="application/atom+xml" title="${e(opts.title)} incident updates" href="${e((opts.baseUrl ?? '') + '/status/feed.atom')}">
<style nonce="${e(nonce)}">${STATUS_CSS}</style>
</head>
<body>
<header><h1>${e(opts.title)} status</h1></header>
<main>
<div class="overall s-${s.overall}" id="overall" role="status">${OVERALL_TEXT[s.overall]}</div>
${open.length ? `<section id="incidents" aria-label="Open incidents">${open.map((i) => incident(i, names)).join('\n')}</section>` : ''}
<section id="components" aria-label="Components">${s.components.length ? s.components.map((c) => component(c, s.generatedAtMs)).join('\n') : '<p class="muted">No components configured.</p>'}</section>
${past.length ? `<section id="past" aria-label="Recently resolved"><h2>Recently resolved</h2>${past.map((i) => incident(i, names)).join('\n')}</section>` : ''}
</main>
<footer class="muted">Updated ${when(s.generatedAtMs)} · <a href="${e((opts.baseUrl ?? '') + '/status/feed.atom')}">Atom feed</a> · <a href="${e((opts.baseUrl ?? '') + '/status.json')}">JSON</a></footer>
</body>
</html>`;
}
