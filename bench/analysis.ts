// Benchmark of the analysis engine: ingest cost per span (`observe`, on the ingest path),
// the deferred per-trace N+1 analysis (`flush`), one evaluation `tick` over many series, and
// the size of the saved state. Not a timed test; `npm run bench` prints it.
import { Analyzer } from '../collector/analysis/analyzer';
import { emptyBatch, SpanKind, StatusCode, type Span } from '../collector/model/types';
import { msToNs } from '../collector/model/time';
import { toRowBatch } from '../collector/store/rows';
import { TimeSeries } from '../collector/timeseries/timeSeries';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function hex(n: number, len: number): string {
  return n.toString(16).padStart(len, '0');
}

/** One request: a server span on one of `routes` endpoints with `dbCalls` child queries. */
function request(i: number, atMs: number, routes: number, dbCalls: number): Span[] {
  const traceId = hex(i + 1, 32);
  const rootId = hex(i * 100 + 1, 16);
  const route = `/api/r${i % routes}`;
  const resource = { attributes: { 'service.name': 'bench' }, serviceName: 'bench' };
  const dur = 5 + ((i * 7919) % 100);
  const spans: Span[] = [{
    traceId, spanId: rootId, name: `GET ${route}`, kind: SpanKind.Server, startNs: msToNs(atMs), endNs: msToNs(atMs + dur),
    status: { code: i % 50 === 0 ? StatusCode.Error : StatusCode.Unset, message: i % 50 === 0 ? `order ${i} failed` : undefined },
    attributes: { 'http.request.method': 'GET', 'http.route': route, 'http.response.status_code': i % 50 === 0 ? 500 : 200 },
    events: [], links: [], resource, scope: { name: 'bench' },
    location: { file: `/w/app/src/routes/r${i % routes}.ts`, line: 10, via: 'attribute', confidence: 1 },
  }];
  for (let d = 0; d < dbCalls; d++) {
    spans.push({
      traceId, spanId: hex(i * 100 + 2 + d, 16), parentSpanId: rootId, name: 'SELECT', kind: SpanKind.Client,
      startNs: msToNs(atMs + d), endNs: msToNs(atMs + d + 1), status: { code: StatusCode.Unset },
      attributes: { 'db.system': 'postgresql', 'db.statement': `SELECT * FROM items WHERE order_id = ${i * 10 + d}` },
      events: [], links: [], resource, scope: { name: 'bench' },
    });
  }
  return spans;
}

export async function benchAnalysis(): Promise<object> {
  let clock = T0;
  // Wired as in the collector: the store folds each batch's rows into its time series (the
  // span baselines among them), the analyzer reads them and folds nothing itself.
  const series = new TimeSeries();
  const analyzer = new Analyzer({ state: { getState: async () => undefined, putState: async () => undefined }, now: () => clock, spanSeries: series.spans });
  const ROUTES = 500;
  const REQUESTS = 60_000;
  const spans: Span[][] = [];
  for (let i = 0; i < REQUESTS; i++) spans.push(request(i, T0 + Math.floor((i / REQUESTS) * 30 * 60_000), ROUTES, i % 20 === 0 ? 12 : 3));
  const total = spans.reduce((n, s) => n + s.length, 0);

  // Ingest in batches of 100 requests, as an exporter would send them; time `observe`, and
  // the store's fold into the time series (rows are built for the journal anyway: not timed).
  let observeMs = 0, flushMs = 0, foldMs = 0, seq = 0;
  for (let i = 0; i < REQUESTS; i += 100) {
    const b = emptyBatch();
    b.spans = spans.slice(i, i + 100).flat();
    clock = T0 + Math.floor((i / REQUESTS) * 30 * 60_000);
    let t = process.hrtime.bigint();
    analyzer.observe(b);
    observeMs += Number(process.hrtime.bigint() - t) / 1e6;
    const rb = { ...toRowBatch(b), q: ++seq };
    t = process.hrtime.bigint();
    series.add(rb);
    foldMs += Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint();
    analyzer.flush(clock);
    flushMs += Number(process.hrtime.bigint() - t) / 1e6;
  }
  let t = process.hrtime.bigint();
  analyzer.flush(clock, true);
  flushMs += Number(process.hrtime.bigint() - t) / 1e6;

  t = process.hrtime.bigint();
  analyzer.tick(clock + 60_000);
  const firstTickMs = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  analyzer.tick(clock + 65_000);
  const steadyTickMs = Number(process.hrtime.bigint() - t) / 1e6;
  const size = analyzer.stateSize();
  await analyzer.shutdown();
  return {
    spans: total,
    observeUsPerSpan: +((observeMs * 1000) / total).toFixed(2),
    /** The store's fold of the same spans into lines, span baselines and revision cells. */
    seriesFoldUsPerSpan: +((foldMs * 1000) / total).toFixed(2),
    flushUsPerSpan: +((flushMs * 1000) / total).toFixed(2),
    series: analyzer.features.baselines.list().length,
    firstTickMs: +firstTickMs.toFixed(1),
    steadyTickMs: +steadyTickMs.toFixed(1),
    nPlusOneFindings: analyzer.features.findings.list({ kind: 'nPlusOne' }).length,
    savedCoreKB: Math.round(size.core / 1024),
    savedBaselinesKB: Math.round(size.baselines / 1024),
    /** The span baselines as the store's checkpoint saves them. */
    checkpointSpanBaselinesKB: Math.round(JSON.stringify(series.spans.toJSON(clock)).length / 1024),
  };
}

if (require.main === module) benchAnalysis().then((r) => console.log(r));
