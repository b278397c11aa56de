// One segment: a sql.js database holding the raw telemetry of one time slice. The open
// segment takes inserts; a sealed one is read-only and loaded from its file on demand.
// Runs wherever the engine runs (the store worker thread, or inline in tests).
import type { Database, SqlJsStatic, Statement, SqlValue } from 'sql.js';
import type { LogFilter, LogView, SpanView, TraceFilter, TraceSummary } from '../model/queries';
import type { RowBatch } from './rows';
import { migrate } from './schema';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

export interface InsertCounts {
  spans: number;
  logs: number;
  metrics: number;
  traceIds: string[];
  minMs: number;
  maxMs: number;
}

export interface LocatedSpanRow {
  file: string;
  line: number;
  kind: number;
  durationMs: number;
  statusCode: number;
  /** Failed by the one rule (model/spanOutcome.ts `isErrorSpan`): status ERROR, or a server
   *  span answered with HTTP ≥ 500. */
  failed: boolean;
  endMs: number;
  /** Has a database attribute (db.system, db.statement, …): a query the code issued. */
  db: boolean;
  /** The resource's attributes as JSON. */
  resource: string;
}

export class Segment {
  private readonly resIds = new Map<string, number>();
  private insSpan?: Statement;
  private insLog?: Statement;
  private insMetric?: Statement;
  private insRes?: Statement;

  private constructor(readonly id: number, readonly db: Database) {}

  static create(SQL: SqlJsStatic, id: number): Segment {
    const db = new SQL.Database();
    db.run('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;');
    migrate(db);
    return new Segment(id, db);
  }

  /** Opens a sealed segment's bytes; migrates an older schema in memory. */
  static load(SQL: SqlJsStatic, id: number, bytes: Uint8Array): Segment {
    const db = new SQL.Database(bytes);
    // Read-only from here; a small page cache keeps the shared wasm heap small.
    db.run('PRAGMA cache_size = -1024');
    migrate(db);
    return new Segment(id, db);
  }

  insert(rb: RowBatch): InsertCounts {
    const db = this.db;
    this.insSpan ??= db.prepare(`INSERT INTO spans (trace_id, span_id, parent_id, name, kind, service, start_ms, dur_ms, status,
      status_msg, file, line, attrs, events, loc, res_id, route) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    this.insLog ??= db.prepare(`INSERT INTO logs (time_ms, sev, sev_text, body, attrs, service, trace_id, span_id, file, line, res_id)
      VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
    this.insMetric ??= db.prepare(`INSERT INTO metric_points (name, kind, unit, time_ms, service, attrs_key, value, count, sum, min, max,
      detail, res_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    this.insRes ??= db.prepare('INSERT INTO resources (id, json) VALUES (?, ?)');
    const local = rb.res.map((json) => {
      let id = this.resIds.get(json);
      if (id === undefined) {
        id = this.resIds.size + 1;
        this.resIds.set(json, id);
        this.insRes!.run([id, json]);
      }
      return id;
    });
    const c: InsertCounts = { spans: 0, logs: 0, metrics: 0, traceIds: [], minMs: Infinity, maxMs: -Infinity };
    const seen = new Set<string>();
    const time = (t: number): void => {
      if (t < c.minMs) c.minMs = t;
      if (t > c.maxMs) c.maxMs = t;
    };
    db.run('BEGIN');
    try {
      for (const s of rb.sp) {
        if (s.x === 0) continue;
        this.insSpan.run([s.t, s.i, s.p ?? null, s.n, s.k, s.sv, s.s, s.d, s.sc, s.sm ?? null, s.f ?? null, s.l ?? null, s.a,
          s.ev ?? null, s.loc ?? null, local[s.ri], s.r ?? null]);
        c.spans++;
        time(s.s);
        if (!seen.has(s.t)) seen.add(s.t);
      }
      for (const l of rb.lg) {
        this.insLog.run([l.s, l.sn, l.st ?? null, l.b, l.a, l.sv, l.t ?? null, l.i ?? null, l.f ?? null, l.l ?? null, local[l.ri]]);
        c.logs++;
        time(l.s);
        if (l.t) seen.add(l.t);
      }
      for (const m of rb.mt) {
        this.insMetric.run([m.n, m.k, m.u ?? null, m.s, m.sv, m.ak, m.v, m.c, m.sum, m.mn ?? null, m.mx ?? null, m.j, local[m.ri]]);
        c.metrics++;
        time(m.s);
      }
      db.run('COMMIT');
    } catch (err) {
      db.run('ROLLBACK');
      throw err;
    }
    c.traceIds = [...seen];
    return c;
  }

  sizeBytes(): number {
    const r = this.db.exec('PRAGMA page_count; PRAGMA page_size;');
    return Number(r[0].values[0][0]) * Number(r[1].values[0][0]);
  }

  /** Partial summaries of the traces in this segment that match (a trace split across
   *  segments is merged by the engine). Newest first. */
  traces(f: TraceFilter, limit: number): TraceSummary[] {
    const where: string[] = [];
    const args: SqlValue[] = [];
    if (f.service) { where.push('service = ?'); args.push(f.service); }
    if (f.route) { where.push('route = ?'); args.push(f.route); }
    if (f.sinceMs !== undefined) { where.push('start_ms >= ?'); args.push(f.sinceMs); }
    if (f.untilMs !== undefined) { where.push('start_ms <= ?'); args.push(f.untilMs); }
    if (f.text) {
      const like = `%${escapeLike(f.text)}%`;
      where.push(`(name LIKE ? ESCAPE '\\' OR attrs LIKE ? ESCAPE '\\' OR status_msg LIKE ? ESCAPE '\\' OR events LIKE ? ESCAPE '\\')`);
      args.push(like, like, like, like);
    }
    if (f.files?.length) { where.push(`file IN (${f.files.map(() => '?').join(',')})`); args.push(...f.files); }
    const having: string[] = [];
    if (f.status === 'error') having.push('errs > 0');
    if (f.status === 'ok') having.push('errs = 0');
    if (f.minDurationMs !== undefined) { having.push('en - st >= ?'); }
    const sql = `SELECT trace_id, MIN(start_ms) AS st, MAX(start_ms + dur_ms) AS en, COUNT(*) AS n, SUM(status = 2) AS errs,
        COALESCE(MAX(CASE WHEN parent_id IS NULL THEN name END), MIN(name)) AS root,
        COALESCE(MAX(CASE WHEN parent_id IS NULL THEN service END), MIN(service)) AS svc
      FROM spans ${where.length ? `WHERE trace_id IN (SELECT trace_id FROM spans WHERE ${where.join(' AND ')})` : ''}
      GROUP BY trace_id ${having.length ? `HAVING ${having.join(' AND ')}` : ''} ORDER BY st DESC LIMIT ?`;
    if (f.minDurationMs !== undefined) args.push(f.minDurationMs);
    args.push(limit);
    return this.all(sql, args).map((r) => ({
      traceId: String(r.trace_id),
      rootName: String(r.root),
      service: String(r.svc),
      startMs: Number(r.st),
      durationMs: Number(r.en) - Number(r.st),
      spanCount: Number(r.n),
      errorCount: Number(r.errs),
    }));
  }

  /** Located spans, newest first, with their resource's attributes (JSON), for rebuilding
   *  per-revision figures a fresh collector lacks (collector/git/backfill.ts). */
  locatedSpans(limit: number): LocatedSpanRow[] {
    const sql = `SELECT s.file, s.line, s.kind, s.dur_ms, s.status, s.start_ms,
        (json_extract(s.attrs, '$."db.system"') IS NOT NULL OR json_extract(s.attrs, '$."db.system.name"') IS NOT NULL
          OR json_extract(s.attrs, '$."db.statement"') IS NOT NULL OR json_extract(s.attrs, '$."db.query.text"') IS NOT NULL) AS db,
        (s.status = 2 OR (s.kind = 2 AND CAST(COALESCE(json_extract(s.attrs, '$."http.response.status_code"'), json_extract(s.attrs, '$."http.status_code"')) AS REAL) >= 500)) AS failed,
        r.json AS res
      FROM spans s JOIN resources r ON r.id = s.res_id
      WHERE s.file IS NOT NULL AND s.line IS NOT NULL ORDER BY s.start_ms DESC LIMIT ?`;
    return this.all(sql, [limit]).map((r) => ({ file: String(r.file), line: Number(r.line), kind: Number(r.kind), durationMs: Number(r.dur_ms), statusCode: Number(r.status), failed: Number(r.failed) === 1, endMs: Number(r.start_ms) + Number(r.dur_ms), db: Number(r.db) === 1, resource: String(r.res) }));
  }

  trace(traceId: string): SpanView[] {
    return this.all('SELECT * FROM spans WHERE trace_id = ? ORDER BY start_ms', [traceId]).map(toSpanView);
  }

  logs(f: LogFilter, limit: number): LogView[] {
    const where: string[] = [];
    const args: SqlValue[] = [];
    if (f.traceId) { where.push('l.trace_id = ?'); args.push(f.traceId); }
    if (f.file) { where.push('l.file = ?'); args.push(f.file); }
    if (f.file && typeof f.line === 'number') { where.push('l.line = ?'); args.push(f.line); }
    if (f.service) { where.push('l.service = ?'); args.push(f.service); }
    if (f.minSeverity !== undefined) { where.push('l.sev >= ?'); args.push(f.minSeverity); }
    if (f.sinceMs !== undefined) { where.push('l.time_ms >= ?'); args.push(f.sinceMs); }
    if (f.text) { where.push(`l.body LIKE ? ESCAPE '\\'`); args.push(`%${escapeLike(f.text)}%`); }
    if (f.attribute) {
      where.push('CAST(json_extract(l.attrs, ?) AS TEXT) = ?');
      args.push(`$."${f.attribute.key.replace(/["\\]/g, '')}"`, f.attribute.value);
    }
    args.push(limit);
    const sql = `SELECT l.*, r.json AS res FROM logs l LEFT JOIN resources r ON r.id = l.res_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.time_ms DESC LIMIT ?`;
    return this.all(sql, args).map(toLogView);
  }

  export(): Uint8Array {
    this.freeStatements();
    return this.db.export();
  }

  close(): void {
    this.freeStatements();
    this.db.close();
  }

  private freeStatements(): void {
    for (const s of [this.insSpan, this.insLog, this.insMetric, this.insRes]) s?.free();
    this.insSpan = this.insLog = this.insMetric = this.insRes = undefined;
  }

  private all(sql: string, args: SqlValue[]): Record<string, SqlValue>[] {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(args);
      const out: Record<string, SqlValue>[] = [];
      while (stmt.step()) out.push(stmt.getAsObject());
      return out;
    } finally {
      stmt.free();
    }
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => '\\' + m);
}

const str = (v: SqlValue): string | undefined => (v === null || v === undefined ? undefined : String(v));

function toSpanView(r: Record<string, SqlValue>): SpanView {
  const v: SpanView = {
    traceId: String(r.trace_id),
    spanId: String(r.span_id),
    name: String(r.name),
    kind: Number(r.kind),
    service: String(r.service),
    startMs: Number(r.start_ms),
    durationMs: Number(r.dur_ms),
    statusCode: Number(r.status),
    attributes: JSON.parse(String(r.attrs)) as Record<string, unknown>,
    events: r.events ? (JSON.parse(String(r.events)) as SpanView['events']) : [],
  };
  const parent = str(r.parent_id);
  if (parent) v.parentSpanId = parent;
  const msg = str(r.status_msg);
  if (msg) v.statusMessage = msg;
  if (r.loc) {
    const loc = JSON.parse(String(r.loc)) as SpanView['location'] & { issuedFrom?: SpanView['issuedFrom'] };
    if (loc.issuedFrom) v.issuedFrom = loc.issuedFrom;
    else v.location = loc;
  }
  return v;
}

function toLogView(r: Record<string, SqlValue>): LogView {
  const v: LogView = {
    timeMs: Number(r.time_ms),
    severityNumber: Number(r.sev),
    body: String(r.body),
    attributes: JSON.parse(String(r.attrs)) as Record<string, unknown>,
    resource: r.res ? (JSON.parse(String(r.res)) as Record<string, unknown>) : {},
    service: String(r.service),
  };
  const st = str(r.sev_text);
  if (st) v.severityText = st;
  const t = str(r.trace_id);
  if (t) v.traceId = t;
  const s = str(r.span_id);
  if (s) v.spanId = s;
  if (r.file) v.location = { file: String(r.file), line: Number(r.line) };
  return v;
}
