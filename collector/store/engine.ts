// The segment engine: the open segment (in memory, taking inserts) and the sealed segments
// (files `seg-<id>.db` with a sidecar `seg-<id>.meta.json`), a small LRU of loaded sealed
// segments, sealing, retention and the queries that span segments.
// It runs in the store worker thread (collector/store/worker.ts) or inline. It never touches
// the journal: the main thread owns durability; a segment file exists only once it is
// complete (temp file, fsync, rename), so "seg-N.db exists" means "journal N is redundant".
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { LogFilter, LogView, SpanView, TraceFilter, TraceSummary } from '../model/queries';
import { writeFileAtomic, fsyncDir } from './atomicFile';
import { Bloom } from './bloom';
import type { RowBatch } from './rows';
import { SCHEMA_VERSION } from './schema';
import { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT, Segment, type LocatedSpanRow } from './segment';

export interface SegmentMeta {
  id: number;
  minMs: number;
  maxMs: number;
  spans: number;
  logs: number;
  metrics: number;
  bytes: number;
  maxSeq: number;
  schemaVersion: number;
  sealedAt: number;
}

interface Sealed {
  meta: SegmentMeta;
  bloom: Bloom;
}

export interface OpenInfo {
  id: number;
  bytes: number;
  rows: number;
  openedAt: number;
}

export interface EngineStats {
  segments: number;
  sealedBytes: number;
  spans: number;
  logs: number;
  metricPoints: number;
}

export interface EngineOptions {
  /** Sealed segments kept loaded for queries. Each costs its size in the wasm heap. */
  lruSize?: number;
  log?: (event: string, fields: Record<string, unknown>) => void;
  /** Writes a whole file durably; default writeFileAtomic. Tests inject failures. */
  writeFile?: (path: string, data: string | Uint8Array) => Promise<void>;
}

const segFile = (dir: string, id: number): string => join(dir, `seg-${String(id).padStart(8, '0')}.db`);
const metaFile = (dir: string, id: number): string => join(dir, `seg-${String(id).padStart(8, '0')}.meta.json`);

export class SegmentEngine {
  private readonly sealed = new Map<number, Sealed>();
  private readonly sealing = new Map<number, Uint8Array>();
  private readonly sealingMeta = new Map<number, SegmentMeta>();
  /** Sealed segments whose files could not be written (disk full): kept in memory, with
   *  their bloom filters, queryable like the others, and written again on the next seal or
   *  retention pass. Their journals stay on disk, so a restart before that replays them. */
  private readonly unsaved = new Map<number, Bloom>();
  private readonly writeFile: NonNullable<EngineOptions['writeFile']>;
  private readonly lru = new Map<number, Segment>();
  private open?: { seg: Segment; meta: SegmentMeta; bloom: Bloom; rows: number; openedAt: number; bytes: number };
  private readonly lruSize: number;
  private readonly log: NonNullable<EngineOptions['log']>;

  constructor(private readonly SQL: SqlJsStatic, private readonly dir: string, opts: EngineOptions = {}) {
    this.lruSize = opts.lruSize ?? 1;
    this.log = opts.log ?? (() => undefined);
    this.writeFile = opts.writeFile ?? writeFileAtomic;
  }

  /** Scans the folder: removes temp files and orphan sidecars, rebuilds a missing sidecar. */
  init(): { sealed: SegmentMeta[]; maxId: number; maxSeq: number } {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir);
    for (const n of names) if (n.startsWith('seg-') && n.endsWith('.tmp')) unlinkSync(join(this.dir, n));
    for (const n of names) {
      const m = /^seg-(\d+)\.db$/.exec(n);
      if (!m) continue;
      const id = Number(m[1]);
      try {
        this.sealed.set(id, this.readMeta(id));
      } catch (err) {
        // An unreadable segment must not stop the collector (a crash loop helps no one):
        // set it aside for inspection and go on without it.
        const bad = segFile(this.dir, id) + '.bad';
        renameSync(segFile(this.dir, id), bad);
        this.log('segment.unreadable', { id, movedTo: bad, message: err instanceof Error ? err.message : String(err) });
      }
    }
    for (const n of names) {
      const m = /^seg-(\d+)\.meta\.json$/.exec(n);
      if (m && !this.sealed.has(Number(m[1]))) unlinkSync(join(this.dir, n));
    }
    const metas = this.metas();
    return { sealed: metas, maxId: Math.max(0, ...metas.map((m) => m.id)), maxSeq: Math.max(0, ...metas.map((m) => m.maxSeq)) };
  }

  openSegment(id: number): void {
    if (this.open) throw new Error(`segment ${this.open.meta.id} is still open`);
    const seg = Segment.create(this.SQL, id);
    this.open = {
      seg,
      meta: { id, minMs: Infinity, maxMs: -Infinity, spans: 0, logs: 0, metrics: 0, bytes: 0, maxSeq: 0, schemaVersion: SCHEMA_VERSION, sealedAt: 0 },
      bloom: new Bloom(),
      rows: 0,
      openedAt: Date.now(),
      bytes: seg.sizeBytes(),
    };
  }

  /** Inserts one journal record (its JSON text). Returns the open segment's state. */
  insert(payload: string): OpenInfo {
    const o = this.open;
    if (!o) throw new Error('no open segment');
    const rb = JSON.parse(payload) as RowBatch;
    const c = o.seg.insert(rb);
    const m = o.meta;
    m.spans += c.spans;
    m.logs += c.logs;
    m.metrics += c.metrics;
    if (c.minMs < m.minMs) m.minMs = c.minMs;
    if (c.maxMs > m.maxMs) m.maxMs = c.maxMs;
    if (rb.q > m.maxSeq) m.maxSeq = rb.q;
    for (const t of c.traceIds) o.bloom.add(t);
    const n = c.spans + c.logs + c.metrics;
    o.rows += n;
    // Two pragmas, a few microseconds: once per batch is cheap.
    o.bytes = o.seg.sizeBytes();
    return this.openInfo();
  }

  openInfo(): OpenInfo {
    const o = this.open;
    return o ? { id: o.meta.id, bytes: o.bytes, rows: o.rows, openedAt: o.openedAt } : { id: 0, bytes: 0, rows: 0, openedAt: 0 };
  }

  /** Seals the open segment: export once, write atomically, keep it loaded while writing.
   *  An empty open segment is dropped. Resolves with the sealed meta (null when empty). */
  async seal(): Promise<SegmentMeta | null> {
    // Synchronously, before any await: the next call (openSegment) may start meanwhile.
    const o = this.open;
    this.open = undefined;
    if (!o || o.rows === 0) {
      o?.seg.close();
      await this.saveUnsaved();
      return null;
    }
    const started = Date.now();
    const bytes = o.seg.export();
    // Free the wasm heap now (it never shrinks, but freed space is reused by the next open
    // segment); while the file is written, a query of this segment loads it from `bytes`.
    o.seg.close();
    const meta: SegmentMeta = { ...o.meta, bytes: bytes.length, sealedAt: Date.now() };
    this.sealing.set(meta.id, bytes);
    this.sealingMeta.set(meta.id, meta);
    await this.saveUnsaved();
    try {
      await this.writeSegment(meta, bytes, o.bloom);
    } catch (err) {
      // Everything in this segment was acknowledged: it stays queryable from memory.
      this.unsaved.set(meta.id, o.bloom);
      this.log('segment.writeFailed', { id: meta.id, bytes: meta.bytes, message: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    this.log('segment.sealed', { id: meta.id, bytes: meta.bytes, spans: meta.spans, logs: meta.logs, ms: Date.now() - started });
    return meta;
  }

  /** Sidecar first, then the database: "seg-N.db exists" means the segment is complete. */
  private async writeSegment(meta: SegmentMeta, bytes: Uint8Array, bloom: Bloom): Promise<void> {
    await this.writeFile(metaFile(this.dir, meta.id), JSON.stringify({ ...meta, bloom: bloom.toBase64() }));
    await this.writeFile(segFile(this.dir, meta.id), bytes);
    this.sealing.delete(meta.id);
    this.sealingMeta.delete(meta.id);
    this.unsaved.delete(meta.id);
    this.sealed.set(meta.id, { meta, bloom });
  }

  /** Tries again to write segments whose write failed; they stay in memory until it works. */
  private async saveUnsaved(): Promise<void> {
    for (const [id, bloom] of [...this.unsaved]) {
      const meta = this.sealingMeta.get(id)!;
      try {
        await this.writeSegment(meta, this.sealing.get(id)!, bloom);
        this.log('segment.sealed', { id, bytes: meta.bytes, spans: meta.spans, logs: meta.logs, retried: true });
      } catch (err) {
        this.log('segment.writeFailed', { id, bytes: meta.bytes, retry: true, message: err instanceof Error ? err.message : String(err) });
        return;
      }
    }
  }

  traces(filter: TraceFilter): TraceSummary[] {
    const limit = clampLimit(filter.limit);
    const merged = new Map<string, TraceSummary>();
    for (const seg of this.segmentsFor(filter.sinceMs, filter.untilMs)) {
      for (const t of seg.traces(filter, limit)) {
        const prev = merged.get(t.traceId);
        if (!prev) merged.set(t.traceId, t);
        else {
          const end = Math.max(prev.startMs + prev.durationMs, t.startMs + t.durationMs);
          if (t.startMs < prev.startMs) {
            prev.startMs = t.startMs;
            prev.rootName = t.rootName;
            prev.service = t.service;
          }
          prev.durationMs = end - prev.startMs;
          prev.spanCount += t.spanCount;
          prev.errorCount += t.errorCount;
        }
      }
      if (merged.size >= limit) break;
    }
    return [...merged.values()].sort((a, b) => b.startMs - a.startMs).slice(0, limit);
  }

  locatedSpans(limit: number): LocatedSpanRow[] {
    const out: LocatedSpanRow[] = [];
    for (const seg of this.segmentsFor()) {
      if (out.length >= limit) break;
      out.push(...seg.locatedSpans(limit - out.length));
    }
    return out;
  }

  trace(traceId: string): SpanView[] {
    const out: SpanView[] = [];
    for (const seg of this.segmentsFor(undefined, undefined, traceId)) out.push(...seg.trace(traceId));
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  logs(filter: LogFilter): LogView[] {
    const limit = clampLimit(filter.limit);
    const out: LogView[] = [];
    for (const seg of this.segmentsFor(filter.sinceMs, undefined, filter.traceId)) {
      out.push(...seg.logs(filter, limit - out.length));
      if (out.length >= limit) break;
    }
    return out.sort((a, b) => b.timeMs - a.timeMs);
  }

  stats(): EngineStats {
    const metas = [...this.metas(), ...this.sealingMeta.values()];
    const o = this.open?.meta;
    return {
      segments: metas.length + (this.open ? 1 : 0),
      sealedBytes: metas.reduce((s, m) => s + m.bytes, 0),
      spans: metas.reduce((s, m) => s + m.spans, 0) + (o?.spans ?? 0),
      logs: metas.reduce((s, m) => s + m.logs, 0) + (o?.logs ?? 0),
      metricPoints: metas.reduce((s, m) => s + m.metrics, 0) + (o?.metrics ?? 0),
    };
  }

  /** Drops whole sealed segments older than `maxAgeMs` (by their newest item) and, oldest
   *  first, while sealed bytes + `extraBytes` (the open journal) exceed `maxBytes`. */
  async retention(nowMs: number, maxAgeMs: number, maxBytes: number, extraBytes: number): Promise<number[]> {
    await this.saveUnsaved();
    const removed: number[] = [];
    const metas = this.metas().sort((a, b) => a.id - b.id);
    let total = metas.reduce((s, m) => s + m.bytes, 0) + extraBytes;
    for (const m of metas) {
      const old = m.maxMs < nowMs - maxAgeMs;
      if (!old && total <= maxBytes) continue;
      this.drop(m.id);
      total -= m.bytes;
      removed.push(m.id);
    }
    if (removed.length) {
      await fsyncDir(this.dir);
      this.log('retention.dropped', { segments: removed, remainingBytes: total });
    }
    return removed;
  }

  /** Removes every sealed segment and empties the open one (keeping its id). */
  async clear(): Promise<void> {
    for (const id of [...this.sealed.keys()]) this.drop(id);
    for (const id of [...this.unsaved.keys()]) {
      this.unsaved.delete(id);
      this.sealing.delete(id);
      this.sealingMeta.delete(id);
    }
    if (this.open) {
      const id = this.open.meta.id;
      this.open.seg.close();
      this.open = undefined;
      this.openSegment(id);
    }
    // Last: inserts queued after `clear` must land in the fresh open segment.
    await fsyncDir(this.dir);
  }

  /** Memory of the thread the engine runs in (wasm heap counts in `external`). */
  memory(): { heapUsed: number; external: number; arrayBuffers: number; loaded: number } {
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, loaded: this.lru.size + (this.open ? 1 : 0) };
  }

  close(): void {
    this.open?.seg.close();
    this.open = undefined;
    for (const s of this.lru.values()) s.close();
    this.lru.clear();
  }

  private drop(id: number): void {
    this.lru.get(id)?.close();
    this.lru.delete(id);
    this.sealed.delete(id);
    for (const f of [segFile(this.dir, id), metaFile(this.dir, id)]) if (existsSync(f)) unlinkSync(f);
  }

  private metas(): SegmentMeta[] {
    return [...this.sealed.values()].map((s) => s.meta);
  }

  /** Newest first: the open segment, then sealed ones overlapping the time range (and
   *  possibly holding the trace id). Loads sealed segments lazily through the LRU. */
  private *segmentsFor(sinceMs?: number, untilMs?: number, traceId?: string): Generator<Segment> {
    if (this.open) yield this.open.seg;
    const ids = [...new Set([...this.sealed.keys(), ...this.sealing.keys()])].sort((a, b) => b - a);
    for (const id of ids) {
      const s = this.sealed.get(id);
      const meta = s?.meta ?? this.sealingMeta.get(id);
      if (!meta) continue;
      if (sinceMs !== undefined && meta.maxMs < sinceMs) continue;
      if (untilMs !== undefined && meta.minMs > untilMs) continue;
      if (traceId !== undefined && s && !s.bloom.has(traceId)) continue;
      yield this.loaded(id);
    }
  }

  private loaded(id: number): Segment {
    const hit = this.lru.get(id);
    if (hit) {
      this.lru.delete(id);
      this.lru.set(id, hit);
      return hit;
    }
    const seg = Segment.load(this.SQL, id, this.sealing.get(id) ?? readFileSync(segFile(this.dir, id)));
    this.remember(seg);
    return seg;
  }

  private remember(seg: Segment): void {
    this.lru.set(seg.id, seg);
    while (this.lru.size > this.lruSize) {
      const [oldest, s] = this.lru.entries().next().value as [number, Segment];
      this.lru.delete(oldest);
      s.close();
    }
  }

  private readMeta(id: number): Sealed {
    const mf = metaFile(this.dir, id);
    if (existsSync(mf)) {
      try {
        const j = JSON.parse(readFileSync(mf, 'utf8')) as SegmentMeta & { bloom: string };
        const { bloom, ...meta } = j;
        return { meta, bloom: Bloom.fromBase64(bloom) };
      } catch (err) {
        this.log('segment.metaRebuilt', { id, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    // Crash between writing the database and its sidecar: rebuild the sidecar from the data.
    const seg = Segment.load(this.SQL, id, readFileSync(segFile(this.dir, id)));
    try {
      const bloom = new Bloom();
      const q = (sql: string): number => Number(seg.db.exec(sql)[0]?.values[0][0] ?? 0);
      for (const r of seg.db.exec('SELECT DISTINCT trace_id FROM spans UNION SELECT DISTINCT trace_id FROM logs WHERE trace_id IS NOT NULL')[0]?.values ?? []) bloom.add(String(r[0]));
      const meta: SegmentMeta = {
        id,
        minMs: Math.min(q('SELECT MIN(start_ms) FROM spans') || Infinity, q('SELECT MIN(time_ms) FROM logs') || Infinity),
        maxMs: Math.max(q('SELECT MAX(start_ms) FROM spans'), q('SELECT MAX(time_ms) FROM logs'), q('SELECT MAX(time_ms) FROM metric_points')),
        spans: q('SELECT COUNT(*) FROM spans'),
        logs: q('SELECT COUNT(*) FROM logs'),
        metrics: q('SELECT COUNT(*) FROM metric_points'),
        bytes: statSync(segFile(this.dir, id)).size,
        maxSeq: 0,
        schemaVersion: SCHEMA_VERSION,
        sealedAt: Date.now(),
      };
      return { meta, bloom };
    } finally {
      seg.close();
    }
  }
}

function clampLimit(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n) || n <= 0) return DEFAULT_QUERY_LIMIT;
  return Math.min(MAX_QUERY_LIMIT, Math.floor(n));
}
