// Atom (RFC 4287) feed of public incident updates: one entry per update, newest first.
// Every text node goes through escapeXml, so the feed stays well-formed whatever people type.
import { escapeXml as x } from './escape';
import { toPublicStatus } from './publicView';
import type { PublicStatus, StatusPageOptions } from './types';

const MAX_ENTRIES = 100;
const iso = (ms: number) => new Date(ms).toISOString();

export function renderAtomFeed(input: PublicStatus, opts: StatusPageOptions): string {
  const s = toPublicStatus(input);
  const base = (opts.baseUrl ?? 'http://localhost').replace(/\/$/, '');
  const entries = s.incidents
    .flatMap((i) => i.updates.map((u) => ({ i, u })))
    .sort((a, b) => b.u.atMs - a.u.atMs)
    .slice(0, MAX_ENTRIES);
  const updated = entries.length ? entries[0].u.atMs : s.generatedAtMs;
  const host = base.replace(/^https?:\/\//, '').replace(/[:/].*$/, '') || 'localhost';
  const tagDate = iso(updated).slice(0, 10);
  const body = entries.map(({ i, u }) => `  <entry>
    <id>tag:${x(host)},${tagDate}:incident/${x(i.id)}/${u.atMs}</id>
    <title>${x(`${i.title}: ${u.status}`)}</title>
    <updated>${iso(u.atMs)}</updated>
    <published>${iso(u.atMs)}</published>
    <link rel="alternate" type="text/html" href="${x(`${base}/status#i-${i.id}`)}"/>
    <content type="text">${x(u.message)}</content>
  </entry>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:${x(host)},2024-01-01:status</id>
  <title>${x(`${opts.title} status`)}</title>
  <updated>${iso(updated)}</updated>
  <author><name>${x(opts.title)}</name></author>
  <link rel="self" type="application/atom+xml" href="${x(`${base}/status/feed.atom`)}"/>
  <link rel="alternate" type="text/html" href="${x(`${base}/status`)}"/>
${body.join('\n')}
</feed>
`;
}
