// What both stores (sqlStore.ts, clickhouse/clickhouseStore.ts) do with their storage folder
// and their background work: journal file names, an unreadable file set aside, and timers
// whose failures are logged rather than thrown.
import { readdirSync, renameSync } from 'node:fs';

export type StoreLog = (event: string, fields: Record<string, unknown>) => void;

const JOURNAL_RE = /^journal-(\d+)\.log$/;

export const journalName = (id: number): string => `journal-${String(id).padStart(8, '0')}.log`;

/** The ids of the journals in `dir`, oldest first. */
export function journalIds(dir: string): number[] {
  return readdirSync(dir).map((n) => JOURNAL_RE.exec(n)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1])).sort((a, b) => a - b);
}

export function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Files are written atomically, so an unreadable one is damage from outside (disk, a
 *  user): log it, move it aside and start without it rather than fail every start. */
export function readOrSetAside(path: string, read: () => void, log: StoreLog): void {
  try {
    read();
  } catch (err) {
    const bad = `${path}.bad`;
    renameSync(path, bad);
    log('store.fileUnreadable', { path, movedTo: bad, message: errText(err) });
  }
}

/** Background work of a store: unref'd intervals, a failure logged (`store.timerError`). */
export class StoreTimers {
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly log: StoreLog) {}

  every(ms: number, fn: () => Promise<unknown>): void {
    const t = setInterval(() => void fn().catch((err: unknown) => this.log('store.timerError', { message: errText(err) })), ms);
    t.unref();
    this.timers.push(t);
  }

  clear(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }
}
