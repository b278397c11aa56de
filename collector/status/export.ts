// Writes the status page as static files (for the "export status page" command):
//   <dir>/index.html, <dir>/status.json, <dir>/feed.atom
// Links inside point at the static names. Auto-refresh is off (static hosting).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { renderAtomFeed } from './feed';
import { toPublicStatus } from './publicView';
import { renderStatusHtml } from './render';
import type { PublicStatus, StatusPageOptions } from './types';

export async function exportStaticStatus(dir: string, status: PublicStatus, options: Partial<StatusPageOptions> = {}): Promise<string[]> {
  const opts: StatusPageOptions = { title: 'Service', ...options, refreshSec: 0 };
  await mkdir(dir, { recursive: true });
  const html = renderStatusHtml(status, { ...opts, baseUrl: '' }, randomBytes(16).toString('base64'))
    .replace(/href="\/status\/feed\.atom"/g, 'href="feed.atom"')
    .replace(/href="\/status\.json"/g, 'href="status.json"');
  const files: [string, string][] = [
    ['index.html', html],
    ['status.json', JSON.stringify(toPublicStatus(status), null, 2)],
    ['feed.atom', renderAtomFeed(status, opts)],
  ];
  for (const [name, body] of files) await writeFile(join(dir, name), body, 'utf8');
  return files.map(([n]) => join(dir, n));
}
