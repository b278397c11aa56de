// The telemetry a process still holds when it exits: spans and log records the batch
// processors have not delivered (BatchSpanProcessor waits up to OTEL_BSP_SCHEDULE_DELAY, 5 s
// by default, before it exports). A process that dies — an uncaught exception, an unhandled
// rejection, `process.exit()` after an error — never runs those timers, so without this a
// crash exports nothing, although the crash is what the user most needs to see.
// Node's 'exit' event fires in each of those cases (after 'uncaughtExceptionMonitor', where
// errorsProcess.ts emits the crash's log record, and before Node prints the error) and runs
// synchronous code only: the undelivered items are serialised as the exporters would and
// posted by a worker thread while this thread waits on an Atomics flag, bounded
// (VIBEWATCH_EXIT_FLUSH_MS, 2000 by default; 0 = off). A worker, not a child process under
// spawnSync: measured here (loaded 2-core machine) about 0.2 s against 0.8 s for a second Node
// to start. The exit code and Node's crash output are unchanged: the worker's stdio is not
// ours, the register does not start in it (EXIT_FLUSH_WORKER), and nothing here throws. Request (SERVER) spans still open then — the
// request the crash killed — are ended first, so their exception events go too.
// Limit: an export that was in flight when the process died is sent again, so the collector
// may receive those items twice.
import { Worker } from 'node:worker_threads';
import { TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { protocolFor, resolvedEndpoint, type Signal } from './config';

const DEFAULT_BUDGET_MS = 2000;

/** Items handed to a batch processor and not yet through an export; the oldest go first
 *  beyond `max` (the batch processor drops beyond its own queue size anyway). */
export class Undelivered<T extends object> {
  private readonly items = new Set<T>();
  constructor(private readonly max = 4096) {}

  add(item: T): void {
    if (this.items.size >= this.max) this.items.delete(this.items.values().next().value as T);
    this.items.add(item);
  }

  /** An export of these finished (delivered or failed: the batch processor does not retry). */
  settle(items: readonly T[]): void {
    for (const i of items) this.items.delete(i);
  }

  take(): T[] {
    const out = [...this.items];
    this.items.clear();
    return out;
  }

  get size(): number {
    return this.items.size;
  }
}

/** Placed beside the BatchSpanProcessor: every sampled span that ends is undelivered until its export settles. */
export class UndeliveredSpans implements SpanProcessor {
  constructor(private readonly pending: Undelivered<ReadableSpan>) {}
  onStart(_span: Span, _parent: Context): void {}
  onEnd(span: ReadableSpan): void {
    if (span.spanContext().traceFlags & TraceFlags.SAMPLED) this.pending.add(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export class UndeliveredLogs implements LogRecordProcessor {
  constructor(private readonly pending: Undelivered<ReadableLogRecord>) {}
  onEmit(record: SdkLogRecord): void {
    this.pending.add(record);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type Exporter<T> = { export(items: T[], done: (r: ExportResult) => void): void };

/** Settles what each export of `exporter` carried, when that export finishes. */
export function settling<T extends object, E extends Exporter<T>>(exporter: E, pending: Undelivered<T>): E {
  const original = exporter.export.bind(exporter);
  exporter.export = (items: T[], done: (r: ExportResult) => void) =>
    original(items, (r) => {
      pending.settle(items);
      done(r);
    });
  return exporter;
}

export interface Post {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The OTLP requests that deliver `spans` and `logs`, encoded as the exporters are configured. */
export function exitPosts(spans: ReadableSpan[], logs: ReadableLogRecord[], env: NodeJS.ProcessEnv): Post[] {
  const out: Post[] = [];
  const add = (signal: Signal, body: Uint8Array | undefined) => {
    if (!body || body.length === 0) return;
    const json = protocolFor(signal, env) === 'http/json';
    const headers = {
      ...parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_HEADERS),
      ...parseKeyPairsIntoRecord(env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`]),
      'content-type': json ? 'application/json' : 'application/x-protobuf',
    };
    out.push({ url: resolvedEndpoint(signal, env), headers, body });
  };
  if (spans.length) add('traces', (protocolFor('traces', env) === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(spans));
  if (logs.length) add('logs', (protocolFor('logs', env) === 'http/json' ? JsonLogsSerializer : ProtobufLogsSerializer).serializeRequest(logs));
  return out;
}

/** Set in the exit worker's workerData: a preload from NODE_OPTIONS (`--require
 *  vibewatch/register`) runs in workers whatever their execArgv, and register.ts stays out of this one. */
export const EXIT_FLUSH_WORKER = 'vibewatchExitFlush';

// Run by the worker (node:http rather than fetch: it loads faster): sends the posts at once and raises the flag when all are answered (or
// failed). Plain Node, no module of ours.
const SENDER = `const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.flag);
const post = (p) => new Promise((done) => {
  const req = require(p.url.startsWith('https:') ? 'node:https' : 'node:http').request(p.url, { method: 'POST', headers: p.headers }, (res) => {
    res.resume();
    res.on('end', done);
    res.on('error', done);
  });
  req.on('error', done);
  req.end(Buffer.from(p.body));
});
Promise.all(workerData.posts.map(post)).finally(() => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); });`;

/** Posts while blocking this thread for at most `budgetMs`; true when every post was answered. */
export function postSync(posts: Post[], budgetMs: number): boolean {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(SENDER, { eval: true, workerData: { posts, flag: flag.buffer, [EXIT_FLUSH_WORKER]: true }, execArgv: [], stdout: true, stderr: true });
  worker.unref();
  Atomics.wait(flag, 0, 0, budgetMs);
  return Atomics.load(flag, 0) === 1;
}

export interface ExitFlush {
  spans: Undelivered<ReadableSpan>;
  logs: Undelivered<ReadableLogRecord>;
}

/** Delivers what is undelivered when the process exits. `endOpen` ends the spans of requests
 *  still in flight (they would never be exported otherwise). */
export function flushOnExit(env: NodeJS.ProcessEnv, endOpen: () => void, proc: NodeJS.Process = process): ExitFlush {
  const flush: ExitFlush = { spans: new Undelivered(), logs: new Undelivered() };
  const raw = env.VIBEWATCH_EXIT_FLUSH_MS;
  const budgetMs = raw !== undefined && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : DEFAULT_BUDGET_MS;
  if (budgetMs <= 0) return flush;
  proc.once('exit', () => {
    try {
      endOpen();
      const posts = exitPosts(flush.spans.take(), flush.logs.take(), env);
      if (posts.length) postSync(posts, budgetMs);
    } catch {
      // The process is ending: nothing may change how (no output, no throw from 'exit').
    }
  });
  return flush;
}
