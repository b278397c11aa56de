// Test helper: a SqlStore in a temp folder, with its log lines captured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlStore } from '../../../../collector/store/sqlStore';
import type { SqlStoreOptions } from '../../../../collector/store/sqlStore';

export interface Harness {
  dir: string;
  logs: { event: string; fields: Record<string, unknown> }[];
  open(opts?: Partial<SqlStoreOptions>): Promise<SqlStore>;
  /** Simulates a crash of a store: nothing flushed, sealed or checkpointed. */
  crash(store: SqlStore): Promise<void>;
  cleanup(): Promise<void>;
}

export function harness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'vw-store-'));
  const stores: SqlStore[] = [];
  const h: Harness = {
    dir,
    logs: [],
    async open(opts = {}) {
      const s = new SqlStore({ dir, worker: false, log: (event, fields) => h.logs.push({ event, fields }), ...opts });
      stores.push(s);
      await s.start();
      return s;
    },
    async crash(store) {
      stores.splice(stores.indexOf(store), 1);
      await store.abort();
    },
    async cleanup() {
      for (const s of stores) await s.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
