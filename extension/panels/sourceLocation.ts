// Which file a panel's "Open source" may open. No vscode import.
// The location comes from a webview, which shows telemetry: it is untrusted. Only a file inside
// an open workspace folder opens; the path is normalised first (`..` segments, a relative path
// resolves against the folder) and symlinks are resolved, so neither `../../etc/passwd` nor a
// link inside the workspace that points out of it gets through.
import * as path from 'node:path';
import { WorkspaceBoundary } from '../../collector/source/workspaceBoundary';

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

/** Like resolveInWorkspace, and the file must exist with its real path (symlinks resolved)
 *  inside the real path of a folder: the collector's one rule for untrusted paths
 *  (collector/source/workspaceBoundary.ts). Undefined for a missing file. */
export async function realPathInWorkspace(file: unknown, folders: readonly string[]): Promise<string | undefined> {
  const abs = resolveInWorkspace(file, folders);
  return abs ? new WorkspaceBoundary(() => folders).contain(abs) : undefined;
}
