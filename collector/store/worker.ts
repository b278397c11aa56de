// Entry of the store worker thread (bundled as dist/storeWorker.js). Owns the sql.js
// segment engine; answers requests in arrival order (collector/store/engineLink.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { SegmentEngine } from './engine';
import { dispatcher } from './engineLink';
import type { WorkerReply, WorkerRequest } from './engineLink';
import { loadSql } from './sqlLoader';

const port = parentPort;
if (!port) throw new Error('collector/store/worker.ts must run as a worker thread');
const data = workerData as { dir: string; lruSize?: number };
const send = (m: WorkerReply): void => port.postMessage(m);

const ready = loadSql().then((SQL) => dispatcher(new SegmentEngine(SQL, data.dir, { lruSize: data.lruSize, log: (log, fields) => send({ log, fields }) })));
let tail: Promise<unknown> = ready;

port.on('message', (m: WorkerRequest) => {
  // Chain on the previous request so order holds while the engine is still loading and
  // while an async op (seal) is writing: its synchronous part has already run.
  tail = tail.then(async () => {
    const run = await ready;
    try {
      const result = run(m.op, m.args);
      if (result instanceof Promise) {
        result.then((r) => send({ id: m.id, result: r }), (err: unknown) => send({ id: m.id, error: errText(err) }));
      } else send({ id: m.id, result });
    } catch (err) {
      send({ id: m.id, error: errText(err) });
    }
  });
});

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
