// Entry of the store worker thread (bundled as dist/storeWorker.js). Owns the sql.js
// segment engine; answers requests in arrival order (collector/store/engineLink.ts).
// Requests are queued and run in slices of at most SLICE_MS, yielding to the event loop
// between slices: a MessagePort delivers a backlog of messages without returning to the
// loop, and the file writes of a seal (async, completed by the loop) would otherwise wait
// behind every queued insert — measured: 30 s seals under a steady backlog.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { SegmentEngine } from './engine';
import { dispatcher } from './engineLink';
import type { WorkerReply, WorkerRequest } from './engineLink';
import { loadSql } from './sqlLoader';
import { errText } from './storeFolder';

const SLICE_MS = 20;
const port = parentPort;
if (!port) throw new Error('collector/store/worker.ts must run as a worker thread');
const data = workerData as { dir: string; lruSize?: number };
const send = (m: WorkerReply): void => port.postMessage(m);

const ready = loadSql().then((SQL) => dispatcher(new SegmentEngine(SQL, data.dir, { lruSize: data.lruSize, log: (log, fields) => send({ log, fields }) })));
let queue: WorkerRequest[] = [];
let head = 0;
let scheduled = false;

port.on('message', (m: WorkerRequest) => {
  queue.push(m);
  if (!scheduled) {
    scheduled = true;
    setImmediate(() => void pump());
  }
});

async function pump(): Promise<void> {
  const run = await ready;
  const until = performance.now() + SLICE_MS;
  while (head < queue.length && performance.now() < until) {
    const m = queue[head] as WorkerRequest;
    // Drop the reference now: a processed payload must not live until the next compaction.
    (queue as (WorkerRequest | undefined)[])[head++] = undefined;
    try {
      const result = run(m.op, m.args);
      if (result instanceof Promise) {
        // Its synchronous part has run; later requests may start while it awaits I/O.
        result.then((r) => send({ id: m.id, result: r }), (err: unknown) => send({ id: m.id, error: errText(err) }));
      } else send({ id: m.id, result });
    } catch (err) {
      send({ id: m.id, error: errText(err) });
    }
  }
  if (head > 256 && head * 2 > queue.length) {
    queue = queue.slice(head);
    head = 0;
  }
  if (head < queue.length) setImmediate(() => void pump());
  else scheduled = false;
}
