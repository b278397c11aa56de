// Which diagnostics each file gets, from the analysis results: error groups at their in-app
// throwing line (error), slow queries and N+1/chatty calls at the issuing line (warning),
// anomalies at the handler (warning). Pure (no vscode): the controller adapts the specs,
// and the bench measures this function.
import type { AnomalyView, ErrorGroupView, Finding, LocationView } from '../../collector/analysis/types';
import { formatAgo, formatCount, formatMs } from './format';
import { plainText } from '../../collector/text/sinkText';

export interface DiagSpec {
  file: string;
  /** 0-based line in disk coordinates (the controller applies line tracking). */
  line: number;
  severity: 'error' | 'warning';
  message: string;
  /** Shown as the diagnostic's code; clicking it runs `command` with `args`. */
  code: { value: string; command: string; args: unknown[] };
  related: { file: string; line: number; message: string }[];
  lastSeenMs: number;
}

export interface DiagInputs {
  errors: readonly ErrorGroupView[];
  findings: readonly Finding[];
  anomalies: readonly AnomalyView[];
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const hasLoc = (l: LocationView | undefined): l is LocationView => !!l && typeof l.file === 'string' && l.line >= 1;

/** Everything not older than `staleAfterMs` (by last occurrence), grouped by file. */
export function buildDiagnostics(inp: DiagInputs, nowMs: number, staleAfterMs: number): Map<string, DiagSpec[]> {
  const out = new Map<string, DiagSpec[]>();
  // The sink: diagnostic messages, codes and related messages are plain text (error titles,
  // statements, service names and span names come from telemetry).
  const add = (raw: DiagSpec) => {
    const d: DiagSpec = { ...raw, message: plainText(raw.message, 500), code: { ...raw.code, value: plainText(raw.code.value, 60) }, related: raw.related.map((r) => ({ ...r, message: plainText(r.message, 300) })) };
    let list = out.get(d.file);
    if (!list) out.set(d.file, (list = []));
    list.push(d);
  };
  const fresh = (t: number) => nowMs - t <= staleAfterMs;

  for (const g of inp.errors) {
    if (!hasLoc(g.location) || g.state === 'resolved' || g.state === 'ignored' || !fresh(g.lastSeenMs)) continue;
    const who = g.attribution?.aiDiffId ? ` · AI diff ${g.attribution.summary ?? g.attribution.aiDiffId}` : g.attribution?.commit ? ` · commit ${g.attribution.commit.slice(0, 7)}` : '';
    const state = g.state === 'regressed' ? ' (regressed)' : g.state === 'new' ? ' (new)' : '';
    add({
      file: g.location.file,
      line: g.location.line - 1,
      severity: 'error',
      message: `${g.type}: ${clip(g.title, 200)} — ${formatCount(g.count)}× , last seen ${formatAgo(g.lastSeenMs, nowMs)}${state}${who}`,
      code: { value: `error ${g.id.slice(0, 8)}`, command: 'vibewatch.openErrors', args: [{ errorGroupId: g.id, groupId: g.id, file: g.location.file, line: g.location.line }] },
      related: g.samples.filter((s) => s.traceId).slice(0, 3).map((s) => ({ file: g.location!.file, line: g.location!.line - 1, message: `${s.service}${s.revision ? `@${s.revision.slice(0, 7)}` : ''}: ${clip(s.message, 120)} (trace ${s.traceId!.slice(0, 8)}, ${formatAgo(s.atMs, nowMs)})` })),
      lastSeenMs: g.lastSeenMs,
    });
  }

  for (const f of inp.findings) {
    if (!hasLoc(f.location) || !fresh(f.lastSeenMs)) continue;
    const loc = f.location;
    const trace = f.traceIds[0];
    const code = { value: f.kind === 'slowQuery' ? 'slow query' : f.kind === 'nPlusOne' ? 'N+1' : 'chatty HTTP', command: 'vibewatch.openTraces', args: [{ file: loc.file, line: loc.line, traceId: trace, findingId: f.id }] };
    if (f.kind === 'slowQuery') {
      add({
        file: loc.file,
        line: loc.line - 1,
        severity: 'warning',
        message: `Slow query: ${clip(f.statement, 160)} — ${formatCount(f.slowCalls)} of ${formatCount(f.calls)} calls over ${formatMs(f.thresholdMs)} (p50 ${formatMs(f.p50Ms)}, p95 ${formatMs(f.p95Ms)}, max ${formatMs(f.maxMs)})`,
        code,
        related: f.traceIds.slice(0, 3).map((t) => ({ file: loc.file, line: loc.line - 1, message: `slow call in trace ${t.slice(0, 8)}` })),
        lastSeenMs: f.lastSeenMs,
      });
    } else {
      const what = f.kind === 'nPlusOne' ? 'N+1 query' : 'Chatty HTTP';
      add({
        file: loc.file,
        line: loc.line - 1,
        severity: 'warning',
        message: `${what}: ${clip(f.statement, 160)} issued up to ${f.maxRepeats}× under “${clip(f.parentName, 60)}” in one trace (${formatCount(f.occurrences)} traces, ${formatMs(f.totalTimeMs)} spent in the repeats)`,
        code,
        related: f.traceIds.slice(0, 3).map((t) => ({ file: loc.file, line: loc.line - 1, message: `repeated call: ${f.lastRepeats}× in trace ${t.slice(0, 8)}` })),
        lastSeenMs: f.lastSeenMs,
      });
    }
  }

  for (const a of inp.anomalies) {
    if (!hasLoc(a.location)) continue;
    add({
      file: a.location.file,
      line: a.location.line - 1,
      severity: 'warning',
      message: `Anomaly: ${a.text}`,
      code: { value: `anomaly ${a.signal}`, command: 'vibewatch.openMetrics', args: [{ seriesKey: a.seriesKey, file: a.location.file, line: a.location.line }] },
      related: [],
      lastSeenMs: nowMs,
    });
  }
  return out;
}
