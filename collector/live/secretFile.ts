// Where the per-collector secret lives: `<storage>/collector.secret`, mode 0600, written
// by the collector once it holds its port (so a second collector that finds the port taken
// never replaces the first one's secret) and rotated at every start. Clients of this user
// read it from the same storage folder; other users cannot (file 0600, folder 0700).
// It is not removed at shutdown: a restarted collector may already have written its own,
// and a stale secret proves nothing (the next start rotates it).
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../store/atomicFile';

export const SECRET_FILE = 'collector.secret';

export function secretPath(storage: string): string {
  return join(storage, SECRET_FILE);
}

let counter = 0;

/** Writes the secret atomically: a 0600 temp file (created exclusively), fsync, rename. */
export async function writeSecretFile(storage: string, secret: string): Promise<void> {
  mkdirSync(storage, { recursive: true, mode: 0o700 });
  const target = secretPath(storage);
  const tmp = `${target}.${process.pid}.${++counter}.tmp`;
  const fh = await fsp.open(tmp, 'wx', 0o600);
  try {
    await fh.chmod(0o600); // the mode of `open` is narrowed by the umask, never widened; say it anyway
    await fh.writeFile(secret + '\n');
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, target);
  await fsyncDir(storage);
}

export type SecretRead = { secret: string } | { error: string };

/**
 * Reads the secret of the collector that uses `storage`. Refuses a file that someone else
 * could have written or read (another owner, group/other permission bits, a symlink):
 * such a file proves nothing about the collector.
 */
export function readSecretFile(storage: string): SecretRead {
  const path = secretPath(storage);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    return { error: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  try {
    const st = fstatSync(fd);
    if (process.platform !== 'win32') {
      if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return { error: `${path} belongs to another user` };
      if (st.mode & 0o077) return { error: `${path} is readable or writable by other users (mode ${(st.mode & 0o777).toString(8)})` };
    }
    const secret = readFileSync(fd, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(secret)) return { error: `${path} does not hold a collector secret` };
    return { secret };
  } finally {
    closeSync(fd);
  }
}

/** The secrets readable from these storage folders (unreadable ones are listed in `errors`). */
export function secretsOf(storages: readonly string[]): { found: { storage: string; secret: string }[]; errors: string[] } {
  const found: { storage: string; secret: string }[] = [];
  const errors: string[] = [];
  for (const storage of new Set(storages)) {
    const r = readSecretFile(storage);
    if ('secret' in r) found.push({ storage, secret: r.secret });
    else errors.push(r.error);
  }
  return { found, errors };
}

/** A LiveClient `secret` option that rereads the folder's file at every connect (the secret rotates per start). */
export function secretFrom(storage: string): () => string | undefined {
  return () => {
    const r = readSecretFile(storage);
    return 'secret' in r ? r.secret : undefined;
  };
}
