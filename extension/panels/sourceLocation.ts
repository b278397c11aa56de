// Which file a panel's "Open source" may open. Pure (node:path and node:fs only, no vscode).
// The location comes from a webview, which shows telemetry: it is untrusted. Only a file inside
// an open workspace folder opens; the path is normalised first (`..` segments, a relative path
// resolves against the folder) and symlinks are resolved, so neither `../../etc/passwd` nor a
// link inside the workspace that points out of it gets through.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

function inside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** The normalised absolute path of `file` if it lies inside one of `folders`, else undefined. */
export function resolveInWorkspace(file: unknown, folders: readonly string[]): string | undefined {
  if (typeof file !== 'string' || file === '' || file.includes('\0') || file.length > 4096) return undefined;
  for (const f of folders) {
    const root = path.resolve(f);
    const abs = path.resolve(root, file);
    if (inside(root, abs)) return abs;
  }
  return undefined;
}

/** Like resolveInWorkspace, and the real path (symlinks resolved) must stay inside the real
 *  path of the same folder. Undefined for a missing file. */
export async function realPathInWorkspace(file: unknown, folders: readonly string[]): Promise<string | undefined> {
  const abs = resolveInWorkspace(file, folders);
  if (!abs) return undefined;
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch {
    return undefined; // a missing file opens nothing; the caller reports the refusal
  }
  for (const f of folders) {
    let root: string;
    try {
      root = await fs.realpath(path.resolve(f));
    } catch {
      continue; // a folder that vanished contains nothing
    }
    if (inside(root, real)) return real;
  }
  return undefined;
}
