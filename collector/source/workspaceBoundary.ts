// The one rule for paths that come from telemetry, path mappings or source maps: a path is
// used (read, or returned as a workspace file) only if, once normalised, it lies inside a
// registered workspace folder — lexically (`/ws/../../etc/passwd` is `/etc/passwd`) and
// after following symlinks (a link inside the folder that points out of it is outside).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toForwardSlashes } from './paths';

/** Lexically inside `folder` (both absolute, forward slashes, normalised); the folder itself is not "inside". */
function under(p: string, folder: string, foldCase: boolean): boolean {
  const a = foldCase ? p.toLowerCase() : p;
  const f = foldCase ? folder.toLowerCase() : folder;
  return a.startsWith(f.endsWith('/') ? f : `${f}/`);
}

function real(p: string): string | undefined {
  try {
    return toForwardSlashes(fs.realpathSync.native(p));
  } catch {
    // Does not exist (or cannot be resolved): nothing there to read.
    return undefined;
  }
}

export class WorkspaceBoundary {
  /** Case-insensitive comparison (Windows and macOS default file systems). */
  private readonly foldCase: boolean;

  constructor(private readonly folders: () => readonly string[], platform: NodeJS.Platform = process.platform) {
    this.foldCase = platform === 'win32' || platform === 'darwin';
  }

  /** The normalised absolute path when `p` is an existing path inside a workspace folder
   *  (symlinks resolved on both sides), else undefined. */
  contain(p: string): string | undefined {
    if (!path.isAbsolute(p) && !/^[A-Za-z]:[\\/]/.test(p)) return undefined;
    const abs = toForwardSlashes(path.resolve(p));
    const folder = this.folders().find((f) => under(abs, toForwardSlashes(path.resolve(f)), this.foldCase));
    if (!folder) return undefined;
    const realFile = real(abs);
    const realFolder = real(folder);
    if (!realFile || !realFolder || !under(realFile, realFolder, this.foldCase)) return undefined;
    return abs;
  }
}
