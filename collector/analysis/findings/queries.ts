// Slow queries (database spans over a threshold, grouped by normalised statement) and
// repeated calls inside one trace (N+1 queries, chatty outgoing HTTP).
// `observeSpan` is O(1) per span apart from a cached statement normalisation; the N+1
// analysis runs per trace in `flush`, after the trace has been quiet for `quietMs`.
import type { Span } from '../../model/types';
import { SpanKind } from '../../model/types';
import { durationMs, nsToMs } from '../../model/time';
import type { HistogramJson } from '../../model/histogram';
import { LogHistogram } from '../../model/histogram';
import type { LocationView } from '../../model/queries';
import type { RepeatedCallFinding, SlowQueryFinding } from './types';
import { attrStr, toLocationView } from '../shared/attrs';
import { shortHash, urlTemplate } from '../shared/normalize';
import { normaliseSql } from '../../text/sql';

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

/** What a span is, read on the ingest path without normalising anything. */
export interface RawCall {
  kind: 'db' | 'http';
  dbSystem?: string;
  /** db: the statement as sent; http: the URL or its template. */
  text: string;
  /** http: the method; db: whether `text` is already a name (operation + table). */
  method?: string;
  named?: boolean;
}

export function rawCall(span: Span): RawCall | undefined {
  const a = span.attributes;
  const dbSystem = attrStr(a, 'db.system', 'db.system.name');
  if (dbSystem !== undefined) {
    const raw = attrStr(a, 'db.query.text', 'db.statement');
    if (raw !== undefined) return { kind: 'db', dbSystem, text: raw };
    const op = attrStr(a, 'db.operation.name', 'db.operation') ?? span.name;
    const target = attrStr(a, 'db.collection.name', 'db.sql.table', 'db.mongodb.collection');
    return { kind: 'db', dbSystem, text: target ? `${op} ${target}` : op, named: true };
  }
  if (span.kind === SpanKind.Client) {
    const method = attrStr(a, 'http.request.method', 'http.method');
    if (method === undefined) return undefined;
    const tmpl = attrStr(a, 'url.template', 'http.route');
    return { kind: 'http', method, text: tmpl ?? attrStr(a, 'url.full', 'http.url') ?? span.name, named: tmpl !== undefined };
  }
  return undefined;
}

/** The grouping key of a call: normalised SQL, or METHOD + URL template. */
export function normaliseCall(r: RawCall): Call {
  if (r.kind === 'db') {
    const statement = r.named ? r.text : normaliseSql(r.text);
    return { kind: 'db', key: `${r.dbSystem}|${statement}`, statement, dbSystem: r.dbSystem };
  }
  const statement = `${r.method} ${r.named ? r.text : urlTemplate(r.text)}`;
  return { kind: 'http', key: `http|${statement}`, statement };
}

/** What kind of repeated-call candidate a span is, if any (normalised). */
export function classifySpan(span: Span): Call | undefined {
  const r = rawCall(span);
  return r ? normaliseCall(r) : undefined;
}

/** Same statement once normalised; the database system may be spelt differently by the ORM's and the driver's instrumentation. */
function sameStatement(a: Call, b: Call): boolean {
  return a.statement.toLowerCase() === b.statement.toLowerCase();
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
  spanId: string;
  parent?: string;
  raw: RawCall;
  service: string;
  durMs: number;
  endMs: number;
  location?: LocationView;
}
interface BufferedTrace {
  lastSeenMs: number;
  service: string;
  spans: Map<string, { name: string; parent?: string; location?: LocationView }>;
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
  private changed = false;
  /** Calls not analysed because their trace had more than `maxSpansPerTrace`. */
  droppedCalls = 0;

  constructor(private readonly s: QuerySettings) {}

  /** Called for every span on the ingest path: O(1), no text processing. `nowMs` is receipt
   *  time (for the trace's quiet window). Statements are normalised when the trace is analysed. */
  observeSpan(span: Span, nowMs: number): void {
    const raw = rawCall(span);
    let t = this.traces.get(span.traceId);
    if (!t) {
      if (this.traces.size >= this.s.maxTraces) this.evictOldest(nowMs);
      t = { lastSeenMs: nowMs, service: span.resource.serviceName, spans: new Map(), calls: [] };
      this.traces.set(span.traceId, t);
    }
    t.lastSeenMs = nowMs;
    if (t.spans.size < this.s.maxSpansPerTrace) {
      t.spans.set(span.spanId, { name: span.name, parent: span.parentSpanId, location: toLocationView(span.location) });
      this.bufferedSpans++;
    }
    if (!raw) return;
    if (t.calls.length >= this.s.maxSpansPerTrace) {
      this.droppedCalls++;
      return;
    }
    t.calls.push({ spanId: span.spanId, parent: span.parentSpanId, raw, service: span.resource.serviceName, durMs: durationMs(span.startNs, span.endNs), endMs: nsToMs(span.endNs), location: toLocationView(span.location ?? span.issuedFrom) });
  }

  /** Returns whether the call was slow (a slow-query finding changed). */
  private observeStatement(traceId: string, c: BufferedCall, call: Call): boolean {
    const key = `${c.service}|${call.key}`;
    let st = this.slow.get(key);
    const at = c.endMs;
    const dur = c.durMs;
    if (!st) {
      if (this.slow.size >= this.s.maxStatements) {
        let oldest: string | undefined, oldestMs = Infinity;
        for (const [k, v] of this.slow) if (v.f.lastSeenMs < oldestMs) [oldest, oldestMs] = [k, v.f.lastSeenMs];
        if (oldest) this.slow.delete(oldest);
      }
      st = {
        f: { kind: 'slowQuery', id: shortHash(key), service: c.service, dbSystem: call.dbSystem, statement: call.statement,
          calls: 0, slowCalls: 0, slowPerMinute: [], thresholdMs: this.s.slowQueryMs, firstSeenMs: at, lastSeenMs: at, traceIds: [] },
        hist: new LogHistogram(),
      };
      this.slow.set(key, st);
    }
    st.f.calls++;
    st.hist.add(dur);
    st.f.lastSeenMs = Math.max(st.f.lastSeenMs, at);
    if (dur >= this.s.slowQueryMs) {
      st.f.slowCalls++;
      const minute = Math.floor(at / 60_000) * 60_000;
      const per = st.f.slowPerMinute;
      const last = per[per.length - 1];
      if (last?.minuteMs === minute) last.count++;
      else if (!last || minute > last.minuteMs) {
        per.push({ minuteMs: minute, count: 1 });
        while (per.length && per[0].minuteMs <= minute - 60 * 60_000) per.shift();
      } else {
        // Late span for an earlier minute: count it where it belongs, if still kept.
        const slot = per.find((p) => p.minuteMs === minute);
        if (slot) slot.count++;
      }
      if (!st.f.traceIds.includes(traceId)) {
        st.f.traceIds.unshift(traceId);
        if (st.f.traceIds.length > 5) st.f.traceIds.length = 5;
      }
      if (c.location) st.f.location = c.location;
      return true;
    }
    return false;
  }

  get bufferedTraceCount(): number {
    return this.traces.size;
  }

  get bufferedSpanCount(): number {
    return this.bufferedSpans;
  }

  /** Full: analyses and drops the oldest tenth of the buffer in one pass. (One at a time
   *  would be slow: a Map's iterator walks over deleted entries until the next rehash.) */
  private evictOldest(nowMs: number): void {
    let n = Math.max(1, Math.floor(this.s.maxTraces / 10));
    for (const id of this.traces.keys()) {
      if (n-- <= 0) break;
      this.finish(id, nowMs);
    }
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
    let slowSeen = 0;
    const byParent = new Map<string, { call: Call; calls: BufferedCall[] }>();
    const norm = new Map<string, Call>();
    const callOf = new Map<string, Call>();
    for (const c of t.calls) {
      const nk = `${c.raw.kind}|${c.raw.dbSystem ?? c.raw.method}|${c.raw.named ? 1 : 0}|${c.raw.text}`;
      let call = norm.get(nk);
      if (!call) norm.set(nk, (call = normaliseCall(c.raw)));
      callOf.set(c.spanId, call);
    }
    // A driver span under a query-builder/ORM span of the same statement (pg under knex) is
    // the same query: the outer span counts it, at the inner span's own location when it has
    // one (the exact call site, e.g. from its stack, rather than a shared helper).
    const inner = new Set<string>();
    const innerLocation = new Map<string, LocationView>();
    for (const c of t.calls) {
      const call = callOf.get(c.spanId)!;
      const outer = c.parent ? callOf.get(c.parent) : undefined;
      if (!outer || outer.kind !== 'db' || call.kind !== 'db' || !sameStatement(outer, call)) continue;
      inner.add(c.spanId);
      if (c.location) innerLocation.set(c.parent!, c.location);
    }
    for (const c of t.calls) {
      const call = callOf.get(c.spanId)!;
      if (inner.has(c.spanId)) continue;
      const own = innerLocation.get(c.spanId);
      if (own) c.location = own;
      // Spans placed only through an ancestor, or whose ancestors arrived after them: the
      // nearest placed ancestor now that the trace is complete.
      c.location ??= this.ancestorLocation(t, c.parent);
      if (call.kind === 'db' && this.observeStatement(traceId, c, call)) slowSeen++;
      if (c.parent === undefined) continue;
      const k = `${c.parent}\n${call.key}`;
      const g = byParent.get(k);
      if (g) g.calls.push(c);
      else byParent.set(k, { call, calls: [c] });
    }
    let found = 0;
    for (const { call: c0, calls } of byParent.values()) {
      const min = c0.kind === 'db' ? this.s.nPlusOneMin : this.s.chattyHttpMin;
      if (calls.length < min) continue;
      const parent = t.spans.get(calls[0].parent!);
      const parentName = parent?.name ?? '(parent not received)';
      const key = `${t.service}|${c0.key}|${parentName}`;
      const total = calls.reduce((s, c) => s + c.durMs, 0);
      const location = calls.find((c) => c.location)?.location ?? this.ancestorLocation(t, calls[0].parent);
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
    if (found || slowSeen) this.changed = true;
    return found;
  }

  private ancestorLocation(t: BufferedTrace, id: string | undefined): LocationView | undefined {
    for (let d = 0; id && d < 32; d++) {
      const s = t.spans.get(id);
      if (!s) return undefined;
      if (s.location) return s.location;
      id = s.parent;
    }
    return undefined;
  }

  /** Whether any finding changed since the last call (traces analysed by eviction included). */
  takeChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
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

  /** Forgets every finding and every buffered trace (Clear Data). */
  reset(): void {
    this.load({ slow: [], repeated: [] });
    this.traces.clear();
    this.bufferedSpans = 0;
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
