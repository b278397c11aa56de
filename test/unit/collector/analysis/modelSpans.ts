// TEST HELPER: builds model spans directly (for state-machine tests that need many spans at
// chosen times; the decoding path is covered by the tests that use ./otelHelper).
import type { Span } from '../../../../collector/model/types';
import { SpanKind, StatusCode, emptyBatch } from '../../../../collector/model/types';
import type { Baselines } from '../../../../collector/analysis/baselines/baselines';
import { toRowBatch } from '../../../../collector/store/rows';
import { msToNs } from '../../../../collector/model/time';

let n = 0;
const hex = (v: number, len: number) => v.toString(16).padStart(len, '0');

export function serverSpan(o: { service?: string; route?: string; atMs: number; durMs?: number; error?: boolean; traceId?: string }): Span {
  n++;
  return {
    traceId: o.traceId ?? hex(n, 32), spanId: hex(n, 16), name: `GET ${o.route ?? '/orders'}`, kind: SpanKind.Server,
    startNs: msToNs(o.atMs), endNs: msToNs(o.atMs + (o.durMs ?? 10)),
    status: { code: o.error ? StatusCode.Error : StatusCode.Unset },
    attributes: { 'http.request.method': 'GET', 'http.route': o.route ?? '/orders', 'http.response.status_code': o.error ? 500 : 200 },
    events: [], links: [], resource: { attributes: { 'service.name': o.service ?? 'shop-api' }, serviceName: o.service ?? 'shop-api' }, scope: { name: 'test' },
  };
}

/** `perMinute` calls a minute for `minutes` minutes from `fromMs`, `errorEvery`-th one failing. */
export function traffic(o: { fromMs: number; minutes: number; perMinute: number; errorEvery?: number; durMs?: number | ((i: number) => number); route?: string; service?: string }): Span[] {
  const out: Span[] = [];
  for (let m = 0; m < o.minutes; m++) {
    for (let i = 0; i < o.perMinute; i++) {
      const at = o.fromMs + m * 60_000 + Math.floor((i * 60_000) / o.perMinute);
      const dur = typeof o.durMs === 'function' ? o.durMs(m) : o.durMs ?? 10;
      out.push(serverSpan({ atMs: at, durMs: dur, error: !!o.errorEvery && i % o.errorEvery === 0, route: o.route, service: o.service }));
    }
  }
  return out;
}

/** Folds spans into the baselines' span series as the store does (one journal record). */
export function observeSpans(b: Baselines, spans: Iterable<Span>): void {
  const batch = emptyBatch();
  batch.spans = [...spans];
  b.spans.addRows(toRowBatch(batch));
}
