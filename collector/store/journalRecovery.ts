// Recovery of one journal at start: valid records in order; a corrupt or truncated region
// (bad magic, impossible length, CRC mismatch) or an unparsable record is skipped, logged and
// counted, and the journal is rewritten with only its valid records so that records
// appended after it stay readable. Never throws on bad bytes.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { frame, readJournal } from './journal';
import type { RowBatch } from './rows';

export interface RecoveredJournal {
  payloads: string[];
  batches: RowBatch[];
  /** Corrupt regions plus unparsable records skipped. */
  skipped: number;
  /** Size of the journal after recovery. */
  bytes: number;
}

export function recoverJournal(id: number, path: string, log: (event: string, fields: Record<string, unknown>) => void): RecoveredJournal {
  const r = readJournal(path);
  const payloads: string[] = [];
  const batches: RowBatch[] = [];
  let bad = 0;
  for (const p of r.payloads) {
    try {
      batches.push(JSON.parse(p) as RowBatch);
      payloads.push(p);
    } catch (err) {
      bad++;
      log('journal.badRecord', { journal: id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (!r.corrupt && !bad) return { payloads, batches, skipped: 0, bytes: r.bytes };
  log('journal.corruptSkipped', { journal: id, regions: r.corrupt, badRecords: bad, recovered: payloads.length });
  const clean = Buffer.concat(payloads.map(frame));
  writeFileSyncDurable(path, clean);
  return { payloads, batches, skipped: r.corrupt + bad, bytes: clean.length };
}

/** Synchronous temp-write, fsync, rename (start only): a crash leaves the old journal,
 *  which reads the same. */
function writeFileSyncDurable(target: string, data: Buffer): void {
  const tmp = target + '.rewrite';
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}
