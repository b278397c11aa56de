// The store's read queries as ClickHouse SQL, with the semantics of the sql.js segments
// (store/segment.ts): the same filters, newest first, the same limits. `from(t)` names the
// table to read (the local table, or the Distributed one in a cluster). Every value from a
// filter goes through sqlText.ts.
import type { LogFilter, TraceFilter } from '../../model/queries';
import { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from '../segment';
import { contains, int, num, str } from './sqlText';
import { LOG_COLUMNS, SPAN_COLUMNS } from './tableRows';

export function clampLimit(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n) || n <= 0) return DEFAULT_QUERY_LIMIT;
  return Math.min(MAX_QUERY_LIMIT, Math.floor(n));
}

const msToNsSql = (ms: number) => `toUInt64(${int(Math.max(0, Math.floor(ms)))}) * 1000000`;

export function tracesSql(spans: string, f: TraceFilter): string {
  const where: string[] = [];
  if (f.service) where.push(`service = ${str(f.service)}`);
  if (f.route) where.push(`route = ${str(f.route)}`);
  if (f.sinceMs !== undefined) where.push(`time_ns >= ${msToNsSql(f.sinceMs)}`);
  if (f.untilMs !== undefined) where.push(`time_ns <= ${msToNsSql(f.untilMs)}`);
  if (f.text) where.push(`(${contains(`concat(name, ' ', arrayStringConcat(attr_keys, ' '), ' ', arrayStringConcat(attr_values, ' '), ' ', status_msg, ' ', events)`, f.text)})`);
  if (f.files?.length) where.push(`file IN (${f.files.map(str).join(', ')})`);
  const having: string[] = [];
  if (f.status === 'error') having.push('errs > 0');
  if (f.status === 'ok') having.push('errs = 0');
  if (f.minDurationMs !== undefined) having.push(`en - st >= ${num(f.minDurationMs)}`);
  // Partitions outside the time range are skipped by the `day` condition on both sides.
  const days: string[] = [];
  if (f.sinceMs !== undefined) days.push(`day >= toDate(${int(Math.max(0, Math.floor(f.sinceMs / 1000)))})`);
  if (f.untilMs !== undefined) days.push(`day <= toDate(${int(Math.max(0, Math.floor(f.untilMs / 1000)))})`);
  const inner = where.length ? `trace_id IN (SELECT trace_id FROM ${spans} WHERE ${[...where, ...days].join(' AND ')})` : '';
  const outer = [inner, ...days].filter(Boolean);
  return `SELECT trace_id, min(time_ns / 1e6) AS st, max(time_ns / 1e6 + dur_ms) AS en, count() AS n, countIf(status = 2) AS errs,
      if(countIf(parent_id = '') > 0, anyIf(name, parent_id = ''), min(name)) AS root,
      if(countIf(parent_id = '') > 0, anyIf(service, parent_id = ''), min(service)) AS svc
    FROM ${spans} ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
    GROUP BY trace_id ${having.length ? `HAVING ${having.join(' AND ')}` : ''} ORDER BY st DESC LIMIT ${clampLimit(f.limit)}`;
}

export interface TraceRow { trace_id: string; st: number; en: number; n: string; errs: string; root: string; svc: string }

export function traceSql(spans: string, traceId: string): string {
  return `SELECT ${SPAN_COLUMNS} FROM ${spans} WHERE trace_id = ${str(traceId)} ORDER BY time_ns`;
}

export function logsSql(logs: string, f: LogFilter): string {
  const where: string[] = [];
  if (f.traceId) where.push(`trace_id = ${str(f.traceId)}`);
  if (f.file) where.push(`file = ${str(f.file)}`);
  if (f.file && typeof f.line === 'number') where.push(`line = ${int(f.line)}`);
  if (f.service) where.push(`service = ${str(f.service)}`);
  if (f.minSeverity !== undefined) where.push(`sev >= ${int(f.minSeverity)}`);
  if (f.sinceMs !== undefined) where.push(`time_ns >= ${msToNsSql(f.sinceMs)}`, `day >= toDate(${int(Math.max(0, Math.floor(f.sinceMs / 1000)))})`);
  if (f.text) where.push(contains('body', f.text));
  if (f.attribute) {
    // Values are stored JSON-encoded: a string attribute matches its quoted form, a number
    // or boolean its text (as sql.js compares CAST(json_extract(...) AS TEXT)).
    const k = str(f.attribute.key);
    where.push(`has(attr_keys, ${k}) AND attr_values[indexOf(attr_keys, ${k})] IN (${str(JSON.stringify(f.attribute.value))}, ${str(f.attribute.value)})`);
  }
  return `SELECT ${LOG_COLUMNS} FROM ${logs} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time_ns DESC LIMIT ${clampLimit(f.limit)}`;
}

export function locatedSql(spans: string, limit: number): string {
  return `SELECT file, line, kind, dur_ms, status, failed, time_ns, is_db, resource FROM ${spans}
    WHERE file != '' ORDER BY time_ns DESC LIMIT ${int(Math.max(1, Math.min(100_000, limit)))}`;
}

/** Files with located spans or logs (a cluster-wide `filesWithData`). */
export function filesSql(spans: string, logs: string): string {
  return `SELECT DISTINCT file FROM (SELECT file FROM ${spans} WHERE file != '' UNION ALL SELECT file FROM ${logs} WHERE file != '') ORDER BY file`;
}
