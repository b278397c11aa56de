// The append-only journal of accepted batches for the open segment.
// Frame: magic "VWJ1" | u32 LE payload length | u32 LE CRC32(payload) | payload (UTF-8 JSON).
// Contract: `append` resolves only after the frame is written and fdatasync'd. Group commit:
// frames appended while an fsync is in flight are written and synced together by the next
// one, so a busy receiver pays one fsync per round trip, not one per batch.
// Reading: a frame with a bad magic, an impossible length or a CRC mismatch is corrupt; the
// reader skips to the next magic that starts a valid frame (counting the skipped region),
// and a truncated tail is skipped — recovery never throws on bad bytes.
// Failure (disk full, I/O error): every frame of the failed write+fsync is rejected, and the
// file is cut back to its last durable length, so that a batch answered 503 cannot come back
// on the next start (the exporter retries it, which would store it twice).
import { close, closeSync, fdatasync, ftruncate, openSync, readFileSync, write } from 'node:fs';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';

const MAGIC = Buffer.from('VWJ1');
const HEADER = 12;
/** Larger than any accepted request body after decoding (20 MiB) with room for row overhead. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

const closeP = promisify(close);

/** The file calls the writer makes, injectable so tests can make them fail as a full disk does. */
export interface JournalFs {
  write(fd: number, buf: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  fdatasync(fd: number): Promise<void>;
  ftruncate(fd: number, length: number): Promise<void>;
}

export const nodeJournalFs: JournalFs = {
  write: promisify(write) as unknown as JournalFs['write'],
  fdatasync: promisify(fdatasync),
  ftruncate: promisify(ftruncate),
};

export function frame(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const head = Buffer.allocUnsafe(HEADER);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(body.length, 4);
  head.writeUInt32LE(crc32(body), 8);
  return Buffer.concat([head, body]);
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class JournalWriter {
  private fd: number;
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushWaiters: { upTo: number; resolve: () => void }[] = [];
  /** Frames appended, and frames whose write+fsync finished (succeeded or failed). */
  private appended = 0;
  private done = 0;
  private busy = false;
  private closed = false;
  bytes: number;
  /** fsyncs done: with group commit, fewer than appends under concurrency. */
  syncs = 0;
  /** Length of the file's durable prefix: what a failed write is cut back to. */
  private durableBytes: number;
  /** Writes that failed (their frames rejected). */
  failures = 0;

  constructor(readonly path: string, existingBytes = 0, private readonly fs: JournalFs = nodeJournalFs) {
    this.fd = openSync(path, 'a');
    this.bytes = existingBytes;
    this.durableBytes = existingBytes;
  }

  append(payload: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.path} is closed`));
    const buf = frame(payload);
    this.pending.push(buf);
    this.bytes += buf.length;
    this.appended++;
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.busy) void this.loop();
    return p;
  }

  /** Resolves when everything appended before this call is durable (or has failed) —
   *  not when the journal is idle, which under steady load it never is. */
  flush(): Promise<void> {
    const upTo = this.appended;
    if (this.done >= upTo) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push({ upTo, resolve }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await closeP(this.fd);
  }

  /** For tests of crash recovery: close without flushing anything still pending. */
  closeNow(): void {
    this.closed = true;
    closeSync(this.fd);
  }

  private async loop(): Promise<void> {
    this.busy = true;
    while (this.pending.length) {
      const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        let off = 0;
        while (off < buf.length) off += (await this.fs.write(this.fd, buf, off, buf.length - off)).bytesWritten;
        await this.fs.fdatasync(this.fd);
        this.syncs++;
        this.durableBytes += buf.length;
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.failures++;
        this.bytes -= buf.length;
        const e = err instanceof Error ? err : new Error(String(err));
        await this.cutBack(e);
        for (const w of waiters) w.reject(e);
      }
      this.done += waiters.length;
      const ready = this.flushWaiters.filter((f) => f.upTo <= this.done);
      this.flushWaiters = this.flushWaiters.filter((f) => f.upTo > this.done);
      for (const f of ready) f.resolve();
    }
    this.busy = false;
  }

  /** Removes what a failed write may have left past the durable prefix (a whole frame whose
   *  fsync failed would otherwise be replayed on the next start). Shrinking a file needs no
   *  free space, so this works on a full disk. If it fails too, the error names the risk. */
  private async cutBack(cause: Error): Promise<void> {
    try {
      await this.fs.ftruncate(this.fd, this.durableBytes);
    } catch (err) {
      cause.message += `; the journal could not be cut back to its durable length (${err instanceof Error ? err.message : String(err)}), a failed batch may reappear after a restart`;
    }
  }
}

export interface JournalRead {
  payloads: string[];
  /** Corrupt regions and truncated tails skipped. */
  corrupt: number;
  /** Byte length of the valid prefix; when `corrupt` > 0 the file should be rewritten. */
  bytes: number;
}

export function readJournal(path: string): JournalRead {
  const buf = readFileSync(path);
  const payloads: string[] = [];
  let corrupt = 0;
  let off = 0;
  let inBadRegion = false;
  while (off < buf.length) {
    const ok = validFrameAt(buf, off);
    if (ok >= 0) {
      payloads.push(buf.toString('utf8', off + HEADER, off + HEADER + ok));
      off += HEADER + ok;
      inBadRegion = false;
      continue;
    }
    if (!inBadRegion) corrupt++;
    inBadRegion = true;
    const next = buf.indexOf(MAGIC, off + 1);
    if (next < 0) break;
    off = next;
  }
  return { payloads, corrupt, bytes: buf.length };
}

/** Payload length of a valid frame at `off`, or -1. */
function validFrameAt(buf: Buffer, off: number): number {
  if (off + HEADER > buf.length) return -1;
  if (buf.compare(MAGIC, 0, 4, off, off + 4) !== 0) return -1;
  const len = buf.readUInt32LE(off + 4);
  if (len > MAX_RECORD_BYTES || off + HEADER + len > buf.length) return -1;
  if (crc32(buf.subarray(off + HEADER, off + HEADER + len)) !== buf.readUInt32LE(off + 8)) return -1;
  return len;
}
