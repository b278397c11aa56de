// `fileSummary` and `filesWithData` computed by ClickHouse from stored rows. In a cluster
// each ingest process's series holds only the spans it received, so the lens figures of a
// team come from the Distributed tables instead: the same rules as the series
// (timeseries/lineSeries.ts) — located, non-nested spans and logs (`file` is empty for a
// nested span); failed by the one rule; a log is an error at severity ≥ 17; names most
// frequent first (5); the 5 newest distinct trace ids; calls per minute over the last 30
// minutes, oldest first. Percentiles are ClickHouse's `quantiles` (exact enough for a lens;
// the series use a LogHistogram), over the window.
import type { FileSummary, LineStats } from '../../model/queries';
import { severityName } from '../../model/severity';
import type { ChConn } from './conn';
import { int, str } from './sqlText';
import { nsTextToMs } from './tableRows';

const MINUTE_NS = 60_000_000_000;

export async function clusterFileSummary(conn: ChConn, spans: string, logs: string, file: string, nowMs: number, windowMs: number): Promise<FileSummary> {
  const since = Math.max(0, Math.floor(nowMs - windowMs));
  const nowMin = Math.floor(nowMs / 60_000);
  const firstMin = nowMin - 29;
  const range = `file = ${str(file)} AND day >= toDate(${int(since / 1000)}) AND time_ns >= toUInt64(${int(since)}) * 1000000`;
  // Calls per minute of the last 30 minutes, folded into the same pass (keys, counts).
  const mins = `sumMapIf([intDiv(time_ns, ${MINUTE_NS})], [toUInt64(1)], time_ns >= toUInt64(${int(firstMin)}) * ${MINUTE_NS}) AS mins`;
  // Three round trips, each reading only this file's rows (spans are ordered by file, line).
  const [spanLines, logGroups, recentRows] = await Promise.all([
    conn.rows<{ line: number; fn: string; calls: string; errors: string; q: number[]; last: string; names: string[]; mins: [string[], string[]] }>(
      `SELECT line, any(fn) AS fn, count() AS calls, countIf(failed = 1) AS errors, quantiles(0.5, 0.95)(dur_ms) AS q,
         max(time_ns) AS last, topK(5)(name) AS names, ${mins} FROM ${spans} WHERE ${range} GROUP BY line`),
    conn.rows<{ line: number; sev: number; sev_text: string; fn: string; n: string; last: string; mins: [string[], string[]] }>(
      `SELECT line, sev, sev_text, any(fn) AS fn, count() AS n, max(time_ns) AS last, ${mins} FROM ${logs} WHERE ${range} GROUP BY line, sev, sev_text`),
    // The newest rows per line (a trace may have several at one line: 20 rows, 5 distinct kept).
    conn.rows<{ k: string; line: number; trace_id: string }>(
      `SELECT * FROM (SELECT 'span' AS k, line, trace_id FROM ${spans} WHERE ${range} ORDER BY line, time_ns DESC LIMIT 20 BY line)
       UNION ALL SELECT * FROM (SELECT 'log' AS k, line, trace_id FROM ${logs} WHERE ${range} AND trace_id != '' ORDER BY line, time_ns DESC LIMIT 20 BY line)`),
  ]);
  const spanRecent = recentRows.filter((r) => r.k === 'span');
  const logRecent = recentRows.filter((r) => r.k === 'log');
  const minuteRows = (rows: { line: number; mins: [string[], string[]] }[]) => rows.flatMap((r) => r.mins[0].map((m, i) => ({ line: r.line, m, n: r.mins[1][i] })));
  const spanMinutes = minuteRows(spanLines);
  const logMinutes = minuteRows(logGroups);
  const logSev = logGroups;
  const logByLine = new Map<number, { line: number; fn: string; calls: number; errors: number; last: string }>();
  for (const g of logGroups) {
    const line = Number(g.line);
    const e = logByLine.get(line) ?? { line, fn: g.fn, calls: 0, errors: 0, last: '0' };
    e.calls += Number(g.n);
    if (Number(g.sev) >= 17) e.errors += Number(g.n);
    if (BigInt(g.last) > BigInt(e.last)) e.last = g.last;
    e.fn ||= g.fn;
    logByLine.set(line, e);
  }
  const logLines = [...logByLine.values()];
  const byLine = <T extends { line: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      const l = Number(r.line);
      m.set(l, [...(m.get(l) ?? []), r]);
    }
    return m;
  };
  const recent = (rows: { trace_id: string }[] | undefined): string[] => [...new Set((rows ?? []).map((x) => x.trace_id))].slice(0, 5);
  const perMinute = (rows: { m: string; n: string }[] | undefined): number[] => {
    const out = new Array<number>(30).fill(0);
    for (const r of rows ?? []) {
      const i = Number(r.m) - firstMin;
      if (i >= 0 && i < 30) out[i] += Number(r.n);
    }
    return out;
  };
  const lines: LineStats[] = [];
  const sr = byLine(spanRecent);
  const sm = byLine(spanMinutes);
  for (const r of spanLines) {
    const line = Number(r.line);
    const ls: LineStats = {
      line, kind: 'span', calls: Number(r.calls), errors: Number(r.errors), lastSeenMs: nsTextToMs(r.last),
      names: r.names, recentTraceIds: recent(sr.get(line)), perMinute: perMinute(sm.get(line)),
      p50Ms: Number(r.q[0]), p95Ms: Number(r.q[1]),
    };
    if (r.fn) ls.function = r.fn;
    lines.push(ls);
  }
  const lsev = byLine(logSev);
  const lr = byLine(logRecent);
  const lm = byLine(logMinutes);
  for (const r of logLines) {
    const line = Number(r.line);
    const sev: Record<string, number> = {};
    for (const s of lsev.get(line) ?? []) {
      const k = severityName(Number(s.sev), s.sev_text || undefined);
      sev[k] = (sev[k] ?? 0) + Number(s.n);
    }
    const ls: LineStats = {
      line, kind: 'log', calls: Number(r.calls), errors: Number(r.errors), lastSeenMs: nsTextToMs(r.last), names: [],
      recentTraceIds: recent(lr.get(line)), perMinute: perMinute(lm.get(line)), logsBySeverity: sev,
    };
    if (r.fn) ls.function = r.fn;
    lines.push(ls);
  }
  lines.sort((x, y) => x.line - y.line || (x.kind < y.kind ? -1 : 1));
  return { file, lines };
}

export async function clusterFiles(conn: ChConn, sql: string): Promise<string[]> {
  return (await conn.rows<{ file: string }>(sql)).map((r) => r.file);
}
