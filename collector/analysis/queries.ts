// Slow queries (database spans over a threshold, grouped by normalised statement) and
// repeated calls inside one trace (N+1 queries, chatty outgoing HTTP).
// `observeSpan` is O(1) per span apart from a cached statement normalisation; the N+1
// analysis runs per trace in `flush`, after the trace has been quiet for `quietMs`.
import type { Span } from '../model/types';
import { SpanKind } from '../model/types';
import { durationMs, nsToMs } from '../model/time';
import type { HistogramJson } from '../model/histogram';
import { LogHistogram } from '../model/histogram';
import type { LocationView, RepeatedCallFinding, SlowQueryFinding } from './types';
import { attrStr, toLocationView } from './attrs';
import { BoundedCache, normaliseSql, shortHash, urlTemplate } from './normalize';

export interface QuerySettings {
  slowQueryMs: number;
  nPlusOneMin: number;
  chattyHttpMin: number;
  quietMs: number;
  maxTraces: number;
  maxSpansPerTrace: number;
  maxStatements: number;
}

interface Call {
  kind: 'db' | 'http';
  key: string;
  statement: string;
  dbSystem?: string;
}

const sqlCache = new BoundedCache<string>(5000);

/** What kind of repeated-call candidate a span is, if any. */
export function classifySpan(span: Span): Call | undefined {
  const a = span.attributes;
  const dbSystem = attrStr(a, 'db.system', 'db.system.name');
  if (dbSystem !== undefined) {
    const raw = attrStr(a, 'db.query.text', 'db.statement');
    let statement: string;
    if (raw !== undefined) {
      statement = sqlCache.get(raw) ?? normaliseSql(raw);
      sqlCache.set(raw, statement);
    } else {
      const op = attrStr(a, 'db.operation.name', 'db.operation') ?? span.name;
      const target = attrStr(a, 'db.collection.name', 'db.sql.table', 'db.mongodb.collection');
      statement = target ? `${op} ${target}` : op;
    }
    return { kind: 'db', key: `${dbSystem}|${statement}`, statement, dbSystem };
  }
  if (span.kind === SpanKind.Client) {
    const method = attrStr(a, 'http.request.method', 'http.method');
    if (method === undefined) return undefined;
    const tmpl = attrStr(a, 'url.template', 'http.route') ?? urlTemplate(attrStr(a, 'url.full', 'http.url') ?? span.name);
    const statement = `${method} ${tmpl}`;
    return { kind: 'http', key: `http|${statement}`, statement };
  }
  return undefined;
}

interface SlowState {
  f: Omit<SlowQueryFinding, 'p50Ms' | 'p95Ms' | 'maxMs'>;
  hist: LogHistogram;
}
export interface SlowStateJson {
  key: string;
  f: SlowState['f'];
  hist: HistogramJson;
}

interface BufferedCall {
  parent: string;
  key: string;
  statement: string;
  kind: 'db' | 'http';
  durMs: number;
  location?: LocationView;
}
interface BufferedTrace {
  lastSeenMs: number;
  service: string;
  spans: Map<string, { name: string; location?: LocationView }>;
  calls: BufferedCall[];
}

export interface QueriesState {
  slow: SlowStateJson[];
  repeated: [string, RepeatedCallFinding][];
}

export class QueryAnalyzer {
  private readonly slow = new Map<string, SlowState>();
  private readonly repeated = new Map<string, RepeatedCallFinding>();
  private readonly traces = new Map<string, BufferedTrace>();
  private bufferedSpans = 0;

  constructor(private readonly s: QuerySettings) {}

  /** Called for every span on the ingest path. `nowMs` is receipt time (for trace quiet). */
  observeSpan(span: Span, nowMs: number): void {
    const call = classifySpan(span);
    let t = this.traces.get(span.traceId);
    if (!t) {
      if (this.traces.size >= this.s.maxTraces) this.evictOldest(nowMs);
      t = { lastSeenMs: nowMs, service: span.resource.serviceName, spans: new Map(), calls: [] };
      this.traces.set(span.traceId, t);
    }
    t.lastSeenMs = nowMs;
    if (t.spans.size < this.s.maxSpansPerTrace) {
      t.spans.set(span.spanId, { name: span.name, location: toLocationView(span.location) });
      this.bufferedSpans++;
    }
    if (!call) return;
    const dur = durationMs(span.startNs, span.endNs);
    if (span.parentSpanId && t.calls.length < this.s.maxSpansPerTrace) {
      t.calls.push({ parent: span.parentSpanId, key: call.key, statement: call.statement, kind: call.kind, durMs: dur, location: toLocationView(span.location) });
    }
    if (call.kind === 'db') this.observeStatement(span, call, dur);
  }

  private observeStatement(span: Span, call: Call, dur: number): void {
    const key = `${span.resource.serviceName}|${call.key}`;
    let st = this.slow.get(key);
    const at = nsToMs(span.endNs);
    if (!st) {
      if (this.slow.size >= this.s.maxStatements) {
        let oldest: string | undefined, oldestMs = Infinity;
        for (const [k, v] of this.slow) if (v.f.lastSeenMs < oldestMs) [oldest, oldestMs] = [k, v.f.lastSeenMs];
        if (oldest) this.slow.delete(oldest);
      }
      st = {
        f: { kind: 'slowQuery', id: shortHash(key), service: span.resource.serviceName, dbSystem: call.dbSystem, statement: call.statement,
          calls: 0, slowCalls: 0, thresholdMs: this.s.slowQueryMs, firstSeenMs: at, lastSeenMs: at, traceIds: [] },
        hist: new LogHistogram(),
      };
      this.slow.set(key, st);
    }
    st.f.calls++;
    st.hist.add(dur);
    st.f.lastSeenMs = Math.max(st.f.lastSeenMs, at);
    if (dur >= this.s.slowQueryMs) {
      st.f.slowCalls++;
      if (!st.f.traceIds.includes(span.traceId)) {
        st.f.traceIds.unshift(span.traceId);
        if (st.f.traceIds.length > 5) st.f.traceIds.length = 5;
      }
      if (span.location) st.f.location = toLocationView(span.location);
    }
  }

  get bufferedTraceCount(): number {
    return this.traces.size;
  }

  get bufferedSpanCount(): number {
    return this.bufferedSpans;
  }

  private evictOldest(nowMs: number): void {
    const first = this.traces.keys().next();
    if (!first.done) this.finish(first.value, nowMs);
  }

  /** Analyses and drops traces quiet for `quietMs` (all of them with `force`). Returns the
   *  number of new or updated repeated-call findings. */
  flush(nowMs: number, force = false): number {
    let found = 0;
    for (const [id, t] of this.traces) {
      if (force || nowMs - t.lastSeenMs >= this.s.quietMs) found += this.finish(id, nowMs);
    }
    return found;
  }

  private finish(traceId: string, now: number): number {
    const t = this.traces.get(traceId)!;
    this.traces.delete(traceId);
    this.bufferedSpans -= t.spans.size;
    const byParent = new Map<string, BufferedCall[]>();
    for (const c of t.calls) {
      const k = `${c.parent}\n${c.key}`;
      const list = byParent.get(k);
      if (list) list.push(c);
      else byParent.set(k, [c]);
    }
    let found = 0;
    for (const calls of byParent.values()) {
      const c0 = calls[0];
      const min = c0.kind === 'db' ? this.s.nPlusOneMin : this.s.chattyHttpMin;
      if (calls.length < min) continue;
      const parent = t.spans.get(c0.parent);
      const parentName = parent?.name ?? '(parent not received)';
      const key = `${t.service}|${c0.key}|${parentName}`;
      const total = calls.reduce((s, c) => s + c.durMs, 0);
      const location = calls.find((c) => c.location)?.location ?? parent?.location;
      let f = this.repeated.get(key);
      if (!f) {
        f = { kind: c0.kind === 'db' ? 'nPlusOne' : 'chattyHttp', id: shortHash(key), service: t.service, statement: c0.statement, parentName,
          occurrences: 0, maxRepeats: 0, lastRepeats: 0, totalTimeMs: 0, firstSeenMs: now, lastSeenMs: now, traceIds: [] };
        this.repeated.set(key, f);
      }
      f.occurrences++;
      f.maxRepeats = Math.max(f.maxRepeats, calls.length);
      f.lastRepeats = calls.length;
      f.totalTimeMs += total;
      f.lastSeenMs = now;
      if (location) f.location = location;
      f.traceIds = [traceId, ...f.traceIds.filter((x) => x !== traceId)].slice(0, 5);
      found++;
    }
    return found;
  }

  slowQueries(): SlowQueryFinding[] {
    return [...this.slow.values()]
      .filter((s) => s.f.slowCalls > 0)
      .map((s) => ({ ...s.f, p50Ms: s.hist.quantile(0.5), p95Ms: s.hist.quantile(0.95), maxMs: s.hist.max }))
      .sort((a, b) => b.p95Ms - a.p95Ms);
  }

  repeatedCalls(): RepeatedCallFinding[] {
    return [...this.repeated.values()].sort((a, b) => b.lastSeenMs - a.lastSeenMs);
  }

  toJSON(): QueriesState {
    return { slow: [...this.slow].map(([key, s]) => ({ key, f: s.f, hist: s.hist.toJSON() })), repeated: [...this.repeated] };
  }

  load(s: QueriesState): void {
    this.slow.clear();
    for (const x of s.slow) this.slow.set(x.key, { f: x.f, hist: LogHistogram.fromJSON(x.hist) });
    this.repeated.clear();
    for (const [k, r] of s.repeated) this.repeated.set(k, r);
  }
}
