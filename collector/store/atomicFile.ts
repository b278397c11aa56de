// Durable whole-file writes: temp file in the same folder, fsync, rename over the target,
// fsync the folder. A crash leaves either the old file or the new one, never half of one.
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';

let counter = 0;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${++counter}.tmp`;
  try {
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, path);
  } catch (err) {
    // A full disk must not also fill up with half-written temp files, one per retry.
    await fsp.rm(tmp, { force: true }).catch((rmErr: unknown) => {
      if (err instanceof Error) err.message += ` (and ${tmp} could not be removed: ${rmErr instanceof Error ? rmErr.message : String(rmErr)})`;
    });
    throw err;
  }
  await fsyncDir(dirname(path));
}

/** Makes a rename or unlink in `dir` durable. Async: a directory fsync can take a while
 *  when the disk is busy, and the ingest thread must not stall on it. Some platforms
 *  (Windows) cannot fsync a folder; there the rename is as durable as the OS makes it. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(dir, 'r');
  } catch (err) {
    if (process.platform === 'win32') return;
    throw err;
  }
  try {
    await fh.sync();
  } catch (err) {
    if (process.platform !== 'win32') throw err;
  } finally {
    await fh.close();
  }
}
