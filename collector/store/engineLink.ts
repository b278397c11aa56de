// How the store talks to its segment engine: through a worker thread (default: sql.js
// inserts, sealing exports and queries run on the second core, off the ingest path) or
// inline (same thread; used where a worker is not wanted). Calls are processed strictly in
// the order they are made — the store relies on that (inserts of journal N, then seal, then
// open N+1).
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SegmentEngine } from './engine';
import type { EngineOptions } from './engine';
import { loadSql } from './sqlLoader';

export type EngineOp = 'init' | 'openSegment' | 'insert' | 'openInfo' | 'seal' | 'traces' | 'trace' | 'locatedSpans' | 'logs' | 'stats' | 'retention' | 'clear' | 'close' | 'memory';

export interface EngineLink {
  call<T>(op: EngineOp, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export interface WorkerRequest {
  id: number;
  op: EngineOp;
  args: unknown[];
}
export type WorkerReply = { id: number; result: unknown } | { id: number; error: string } | { log: string; fields: Record<string, unknown> };

type Dispatch = (op: EngineOp, args: unknown[]) => unknown;

export function dispatcher(engine: SegmentEngine): Dispatch {
  return (op, args) => {
    const fn = (engine as unknown as Record<string, (...a: unknown[]) => unknown>)[op];
    if (typeof fn !== 'function') throw new Error(`unknown engine op ${op}`);
    return fn.apply(engine, args);
  };
}

export async function inlineLink(dir: string, opts: EngineOptions): Promise<EngineLink> {
  const engine = new SegmentEngine(await loadSql(), dir, opts);
  const run = dispatcher(engine);
  let tail: Promise<unknown> = Promise.resolve();
  return {
    call<T>(op: EngineOp, ...args: unknown[]): Promise<T> {
      // Start each call after the synchronous part of the previous one, like a worker's queue.
      const p = tail.then(() => run(op, args));
      tail = p.catch(() => undefined);
      return p as Promise<T>;
    },
    async close() {
      await tail;
      engine.close();
    },
  };
}

/** The worker script: dist/storeWorker.js when bundled, worker.ts (through tsx) from sources. */
function workerScript(): { file: string; execArgv?: string[] } {
  // dist/storeWorker.js beside dist/cli.js and dist/collectorProcess.js; dist/bench/index.js
  // and other nested bundles find it one folder up.
  for (const bundled of [join(__dirname, 'storeWorker.js'), join(__dirname, '..', 'storeWorker.js')]) {
    if (existsSync(bundled)) return { file: bundled };
  }
  const bundled = join(__dirname, 'storeWorker.js');
  const source = join(__dirname, 'worker.ts');
  if (existsSync(source)) return { file: source, execArgv: ['--require', 'tsx/cjs'] };
  throw new Error(`store worker not found (looked for ${bundled} and ${source})`);
}

export async function workerLink(dir: string, opts: EngineOptions & { maxHeapMb?: number }): Promise<EngineLink> {
  const { file, execArgv } = workerScript();
  // A bounded V8 heap makes the worker collect its garbage (spent insert payloads) early
  // instead of growing towards the default limit; its live data is the bounded raw queue
  // (rawQueueHard rows) plus query results. The sql.js wasm heap is outside this limit.
  const worker = new Worker(file, {
    workerData: { dir, lruSize: opts.lruSize },
    execArgv,
    resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb ?? 256, maxYoungGenerationSizeMb: 16 },
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | undefined;
  worker.on('message', (m: WorkerReply) => {
    if ('log' in m) {
      opts.log?.(m.log, m.fields);
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if ('error' in m) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  const fail = (err: Error): void => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', (err) => {
    opts.log?.('store.workerError', { message: err.message });
    fail(err);
  });
  let closing = false;
  worker.on('exit', (code) => {
    // Unexpected: inserts and queries fail from here on (counted); the journal keeps every
    // accepted batch and the next start replays it into a fresh engine.
    if (!closing) opts.log?.('store.workerExited', { code });
    fail(new Error(`store worker exited (code ${code})`));
  });
  const link: EngineLink = {
    call<T>(op: EngineOp, ...args: unknown[]): Promise<T> {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, op, args } satisfies WorkerRequest);
      });
    },
    async close() {
      if (dead) return;
      closing = true;
      try {
        await link.call('close');
      } finally {
        await worker.terminate();
      }
    },
  };
  return link;
}
