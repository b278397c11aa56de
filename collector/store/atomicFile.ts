// Durable whole-file writes: temp file in the same folder, fsync, rename over the target,
// fsync the folder. A crash leaves either the old file or the new one, never half of one.
import { promises as fsp, closeSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

let counter = 0;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${++counter}.tmp`;
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, path);
  fsyncDir(dirname(path));
}

/** Makes a rename or unlink in `dir` durable. Some platforms (Windows) cannot open a
 *  folder for fsync; there the rename is as durable as the OS makes it. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (err) {
    if (process.platform === 'win32') return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (process.platform !== 'win32') throw err;
  } finally {
    closeSync(fd);
  }
}
