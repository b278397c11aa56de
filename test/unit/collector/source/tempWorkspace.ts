// Test helper: a temporary workspace folder with the given files, removed by cleanup().
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempWorkspace {
  root: string;
  /** Forward-slash absolute path of a workspace-relative file. */
  abs(rel: string): string;
  write(rel: string, text: string): string;
  cleanup(): void;
}

export function tempWorkspace(files: Record<string, string> = {}, prefix = 'vw-source-'): TempWorkspace {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix))).replace(/\\/g, '/');
  const ws: TempWorkspace = {
    root,
    abs: (rel) => `${root}/${rel}`,
    write(rel, text) {
      const p = path.join(root, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
      return `${root}/${rel}`;
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  for (const [rel, text] of Object.entries(files)) ws.write(rel, text);
  return ws;
}
