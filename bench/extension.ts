// Benchmark: the extension-side work behind CodeLens and diagnostics for one file with 500
// mapped locations, measured on the pure functions the VS Code adapters call (no vscode in
// plain Node): parsing the `fileSummary` answer as it arrives over the socket, computing the
// lenses (with and without line tracking after edits), computing the diagnostics for 500
// analysis results in that file, and one hover. The adapters add one `new CodeLens` /
// `new Diagnostic` per spec (not measured here). Target from issue 7: ≤ 10 ms p95.
import type { AnomalyView, ErrorGroupView, Finding } from '../collector/analysis/types';
import type { FileSummary, LineStats } from '../collector/live/protocol';
import { buildDiagnostics } from '../extension/overlays/diagnosticsModel';
import { hoverMarkdown } from '../extension/overlays/hoverModel';
import { buildLenses, type AiRangeInfo } from '../extension/overlays/lensModel';
import { LineTracker } from '../extension/overlays/lineTracker';

const FILE = '/workspace/src/big.ts';
const LOCATIONS = 500;
const ITERATIONS = 1000;

function makeSummary(now: number): FileSummary {
  const lines: LineStats[] = [];
  for (let i = 0; i < LOCATIONS; i++) {
    const log = i % 10 === 9;
    lines.push({
      line: 1 + i * 4,
      function: `handler${i}`,
      kind: log ? 'log' : 'span',
      calls: 1000 + i * 37,
      errors: i % 7 === 0 ? i : 0,
      p50Ms: log ? undefined : 3 + (i % 50),
      p95Ms: log ? undefined : 40 + (i % 300),
      logsBySeverity: log ? { INFO: 900 + i, WARN: 50, ERROR: i % 5 } : undefined,
      lastSeenMs: now - i * 1000,
      names: [`GET /api/items/${i}`, `SELECT items ${i}`],
      recentTraceIds: Array.from({ length: 5 }, (_, k) => (i * 5 + k).toString(16).padStart(32, '0')),
      perMinute: Array.from({ length: 30 }, (_, m) => (i + m) % 13),
    });
  }
  return { file: FILE, lines };
}

function makeAi(now: number): AiRangeInfo[] {
  return Array.from({ length: 20 }, (_, i) => ({ diffId: `d${i}`, start: 1 + i * 100, end: 60 + i * 100, tool: 'Claude', timeMs: now - i * 3_600_000, commit: 'a1b2c3d4e5f6a7b8', state: 'confirmed' as const, source: 'trailer', p95Ratio: i % 3 ? 1 + i / 5 : undefined }));
}

function makeAnalysis(now: number): { errors: ErrorGroupView[]; findings: Finding[]; anomalies: AnomalyView[] } {
  const errors: ErrorGroupView[] = Array.from({ length: 200 }, (_, i) => ({
    id: `g${i}`.padEnd(16, '0'), type: 'TypeError', title: `Cannot read properties of undefined (reading 'f${i}')`, state: 'ongoing', count: 10 + i,
    firstSeenMs: now - 3_600_000, lastSeenMs: now - i * 1000, services: ['shop'], revisions: ['a1b2c3d'], members: [],
    samples: Array.from({ length: 3 }, (_, k) => ({ atMs: now - k * 1000, traceId: `${i}${k}`.padStart(32, '0'), service: 'shop', type: 'TypeError', message: 'x', fingerprint: 'f', source: 'spanEvent' as const })),
    location: { file: FILE, line: 2 + i * 8 },
  }));
  const findings: Finding[] = Array.from({ length: 200 }, (_, i): Finding => (i % 2
    ? { kind: 'slowQuery', id: `s${i}`, service: 'shop', statement: `SELECT * FROM t${i} WHERE id = ?`, calls: 100, slowCalls: 10, slowPerMinute: [], thresholdMs: 200, p50Ms: 120, p95Ms: 450, maxMs: 900, firstSeenMs: now - 60_000, lastSeenMs: now, traceIds: ['a'.repeat(32), 'b'.repeat(32)], location: { file: FILE, line: 3 + i * 8 } }
    : { kind: 'nPlusOne', id: `n${i}`, service: 'shop', statement: `SELECT * FROM items WHERE order_id = ?`, parentName: 'GET /orders', occurrences: 5, maxRepeats: 30, lastRepeats: 25, totalTimeMs: 800, firstSeenMs: now - 60_000, lastSeenMs: now, traceIds: ['c'.repeat(32)], location: { file: FILE, line: 3 + i * 8 } }));
  const anomalies: AnomalyView[] = Array.from({ length: 100 }, (_, i) => ({ seriesKey: `k${i}`, signal: 'p95', kind: 'location', service: 'shop', name: `handler${i}`, sinceMs: now - 120_000, value: 900, median: 100, mad: 10, score: 80, direction: 'up', location: { file: FILE, line: 1 + i * 20 }, text: `p95 900 ms vs usual 100 ms` }));
  return { errors, findings, anomalies };
}

function stats(samples: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(3));
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: Number(s[s.length - 1].toFixed(3)) };
}

function time(fn: () => unknown): number[] {
  for (let i = 0; i < 50; i++) fn(); // warm-up (JIT)
  const out: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function benchExtension(): Promise<object> {
  const now = Date.now();
  const summary = makeSummary(now);
  const wire = JSON.stringify({ id: 1, result: summary });
  const ai = makeAi(now);
  const analysis = makeAnalysis(now);
  const tracker = new LineTracker();
  for (let k = 0; k < 5; k++) tracker.record({ startLine: 100 + k * 300, startChar: 0, endLine: 100 + k * 300, endChar: 0, insertedLines: 3, endsWithNewline: true });
  const parse = time(() => JSON.parse(wire));
  const lenses = time(() => buildLenses(FILE, summary.lines, ai, now));
  const lensesTracked = time(() => buildLenses(FILE, summary.lines, ai, now, (l) => tracker.map(l)));
  const diags = time(() => buildDiagnostics(analysis, now, 3_600_000));
  const hover = time(() => hoverMarkdown(FILE, [summary.lines[123]], ai.slice(1, 2), now));
  const total = parse.map((p, i) => p + lensesTracked[i] + diags[i]);
  const lensCount = buildLenses(FILE, summary.lines, ai, now).length;
  const diagCount = [...buildDiagnostics(analysis, now, 3_600_000).values()].reduce((a, l) => a + l.length, 0);
  return {
    locations: LOCATIONS,
    lenses: lensCount,
    diagnostics: diagCount,
    iterations: ITERATIONS,
    parseFileSummaryMs: stats(parse),
    provideCodeLensesMs: stats(lenses),
    provideCodeLensesAfterEditsMs: stats(lensesTracked),
    diagnosticsRefreshMs: stats(diags),
    hoverMs: stats(hover),
    parsePlusLensesPlusDiagnosticsMs: stats(total),
    targetP95Ms: 10,
  };
}

// `npx tsx bench/extension.ts` runs it alone.
if (require.main === module) void benchExtension().then((r) => console.log(JSON.stringify(r, null, 2)));
