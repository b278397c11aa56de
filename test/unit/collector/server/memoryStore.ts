// A TelemetryStore kept in memory, for tests of the receiver, server and live protocol
// only (the real store is collector/store). `consume` can be held open to fill the queue.
import type { FileSummary, LogFilter, LogView, SpanView, TraceFilter, TraceSummary } from '../../../../collector/live/protocol';
import type { LogRecord, MetricPoint, Span, TelemetryBatch } from '../../../../collector/model/types';
import type { StoreStats, TelemetryStore } from '../../../../collector/store/api';
import { toRowBatch } from '../../../../collector/store/rows';
import { TimeSeries } from '../../../../collector/timeseries/timeSeries';

const ms = (ns: bigint) => Number(ns / 1_000_000n);
const plain = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));

export class MemoryStore implements TelemetryStore {
  spans: Span[] = [];
  logRecords: LogRecord[] = [];
  metrics: MetricPoint[] = [];
  batches = 0;
  /** Folded like the real store's, so components reading the series see these batches. */
  readonly series = new TimeSeries();
  started = 0;
  shutdowns = 0;
  /** While set, `consume` waits for it (to simulate a slow disk). */
  hold: Promise<void> | undefined;
  private state = new Map<string, unknown>();

  async start(): Promise<void> { this.started++; }
  async shutdown(): Promise<void> { this.shutdowns++; }

  async consume(batch: TelemetryBatch): Promise<void> {
    if (this.hold) await this.hold;
    this.batches++;
    this.series.add({ ...toRowBatch(batch), q: this.batches });
    this.spans.push(...batch.spans);
    this.logRecords.push(...batch.logs);
    this.metrics.push(...batch.metrics);
  }

  async fileSummary(file: string): Promise<FileSummary> {
    const lines = new Map<number, number>();
    for (const s of this.spans) if (s.location?.file === file) lines.set(s.location.line, (lines.get(s.location.line) ?? 0) + 1);
    return { file, lines: [...lines].map(([line, calls]) => ({ line, kind: 'span' as const, calls, errors: 0, lastSeenMs: 0, names: [], recentTraceIds: [], perMinute: [] })) };
  }
  async filesWithData(): Promise<string[]> {
    return [...new Set(this.spans.flatMap((s) => (s.location ? [s.location.file] : [])))];
  }
  async traces(f: TraceFilter): Promise<TraceSummary[]> {
    const byTrace = new Map<string, Span[]>();
    for (const s of this.spans) {
      if (f.service && s.resource.serviceName !== f.service) continue;
      byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    }
    return [...byTrace].slice(0, f.limit ?? 100).map(([traceId, spans]) => {
      const root = spans.find((s) => !s.parentSpanId) ?? spans[0];
      return { traceId, rootName: root.name, service: root.resource.serviceName, startMs: ms(root.startNs), durationMs: ms(root.endNs - root.startNs), spanCount: spans.length, errorCount: spans.filter((s) => s.status.code === 2).length };
    });
  }
  async trace(traceId: string): Promise<SpanView[]> {
    return this.spans.filter((s) => s.traceId === traceId).map((s) => ({
      traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, kind: s.kind, service: s.resource.serviceName,
      startMs: ms(s.startNs), durationMs: Number(s.endNs - s.startNs) / 1e6, statusCode: s.status.code, statusMessage: s.status.message,
      attributes: plain(s.attributes), events: s.events.map((e) => ({ name: e.name, timeMs: ms(e.timeNs), attributes: plain(e.attributes) })),
    }));
  }
  async logs(f: LogFilter): Promise<LogView[]> {
    return this.logRecords.filter((l) => !f.traceId || l.traceId === f.traceId).slice(0, f.limit ?? 100).map((l) => ({
      timeMs: ms(l.timeNs), severityNumber: l.severityNumber, severityText: l.severityText, body: typeof l.body === 'string' ? l.body : JSON.stringify(plain({ b: l.body }).b),
      attributes: plain(l.attributes), resource: plain(l.resource.attributes), service: l.resource.serviceName, traceId: l.traceId, spanId: l.spanId,
    }));
  }
  async stats(): Promise<StoreStats> {
    return { storageBytes: 0, segments: 0, spans: this.spans.length, logs: this.logRecords.length, metricPoints: this.metrics.length, sampledAway: 0, corruptSkipped: 0 };
  }
  async getState<T>(key: string): Promise<T | undefined> { return this.state.get(key) as T | undefined; }
  async putState(key: string, value: unknown): Promise<void> { this.state.set(key, value); }
  async enforceRetention(): Promise<void> {}
  async clear(): Promise<void> { this.series.clear(); this.spans = []; this.logRecords = []; this.metrics = []; }
}
