// Slow queries, N+1 queries and chatty HTTP as a feature: spans are buffered per trace on the
// ingest path and a trace is analysed once it has been quiet (`traceQuietMs`).
import type { TelemetryBatch } from '../../model/types';
import type { AnalysisFeature, FeatureContext } from '../feature';
import type { QueriesState } from './queries';
import { QueryAnalyzer } from './queries';
import type { Finding, FindingFilter } from './types';

export class FindingsFeature implements AnalysisFeature {
  readonly name = 'queries';
  readonly part = 'core';
  readonly topics = ['findings'] as const;
  private readonly queries: QueryAnalyzer;

  constructor(private readonly ctx: FeatureContext) {
    const s = ctx.settings;
    this.queries = new QueryAnalyzer({ slowQueryMs: s.slowQueryMs, nPlusOneMin: s.nPlusOneMin, chattyHttpMin: s.chattyHttpMin, quietMs: s.traceQuietMs, maxTraces: s.maxBufferedTraces, maxSpansPerTrace: s.maxSpansPerTrace, maxStatements: s.maxStatements });
  }

  observe(batch: TelemetryBatch, nowMs: number): void {
    for (const span of batch.spans) this.queries.observeSpan(span, nowMs);
  }

  /** Analyses quiet traces (every buffered trace with `force`). */
  flush(nowMs: number, force: boolean): void {
    this.queries.flush(nowMs, force);
    if (this.queries.takeChanged()) this.ctx.changed('findings');
  }

  list(filter: FindingFilter = {}): Finding[] {
    const all: Finding[] = [...this.queries.slowQueries(), ...this.queries.repeatedCalls()];
    return all.filter((f) => (!filter.kind || f.kind === filter.kind) && (!filter.file || f.location?.file === filter.file));
  }

  save(): QueriesState {
    return this.queries.toJSON();
  }

  load(state: unknown): void {
    if (state) this.queries.load(state as QueriesState);
  }

  reset(): void {
    this.queries.reset();
  }
}
