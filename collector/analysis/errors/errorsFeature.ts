// Errors as a feature: exceptions (span events, error logs, failed spans) are collected on the
// ingest path and grouped by fingerprint on flush; a new group is attributed to a commit or AI
// diff by the git component, asynchronously.
import type { TelemetryBatch } from '../../model/types';
import type { LocationView } from '../../model/queries';
import type { AnalysisFeature, FeatureContext } from '../feature';
import { BoundedCache, shortHash } from '../shared/normalize';
import type { ErrorsState } from './errors';
import { ErrorTracker } from './errors';
import type { ExceptionOccurrence } from './exceptions';
import { extractExceptions } from './exceptions';
import type { StackParser } from './fingerprint';
import type { Attribution, ErrorAction, ErrorFilter, ErrorGroupView } from './types';

/** Supplied by the git component: the commit / AI diff a code location lies in. */
export interface AttributionSource {
  attribute(location: LocationView, revision?: string): Promise<Attribution | undefined>;
}

export interface ErrorsDeps {
  parser: StackParser;
  /** Places a stack trace's throwing frame in the workspace (see ErrorTrackerOptions). */
  locateStack?: (stack: string, runtime?: string, revision?: string) => LocationView | undefined;
  attribution?: AttributionSource;
}

export class ErrorsFeature implements AnalysisFeature {
  readonly name = 'errors';
  readonly part = 'core';
  readonly topics = ['errors'] as const;
  private readonly tracker: ErrorTracker;
  private pending: ExceptionOccurrence[] = [];
  private readonly seen = new BoundedCache<true>(20_000);
  private erroring = new Set<string>();

  constructor(private readonly ctx: FeatureContext, private readonly deps: ErrorsDeps) {
    const s = ctx.settings;
    this.tracker = new ErrorTracker({ parser: deps.parser, maxSamples: s.errorSamples, maxGroups: s.maxErrorGroups, newForMs: s.newForMs, locateStack: deps.locateStack });
  }

  observe(batch: TelemetryBatch): void {
    for (const span of batch.spans) this.tracker.noteRevision(span.resource.serviceName, span.resource.revision);
    if (!batch.spans.length && !batch.logs.length) return;
    for (const occ of extractExceptions(batch)) {
      if (this.pending.length >= this.ctx.settings.maxPendingExceptions) {
        this.pending.shift();
        this.ctx.health.droppedExceptions++;
      }
      this.pending.push(occ);
    }
  }

  /** Groups the pending exceptions. */
  flush(): void {
    const pending = this.pending;
    this.pending = [];
    for (const occ of pending) {
      // One exception often arrives twice: as the span's `exception` event and as a log
      // record (console.error(err)) in the same span. Count it once.
      if (occ.traceId && occ.spanId) {
        const k = `${occ.traceId}|${occ.spanId}|${occ.type}|${occ.message}`;
        if (this.seen.get(k)) continue;
        this.seen.set(k, true);
      }
      // One exception recorded on several spans of a trace (Nest's instrumentation records it
      // on the handler and on the request span): the same type, message and stack is one.
      if (occ.traceId && occ.stack) {
        const k = `${occ.traceId}|${occ.type}|${occ.message}|${shortHash(occ.stack)}`;
        if (this.seen.get(k)) continue;
        this.seen.set(k, true);
      }
      const r = this.tracker.ingest(occ);
      this.erroring.add(occ.service);
      this.ctx.changed('errors');
      if (r.created) this.attribute(r.groupId, occ);
    }
  }

  /** Services with new occurrences since the last call (incident suspects re-rank on them). */
  takeErroringServices(): Set<string> {
    const s = this.erroring;
    this.erroring = new Set();
    return s;
  }

  tick(nowMs: number): void {
    if (this.tracker.tick(nowMs)) this.ctx.changed('errors');
  }

  private attribute(groupId: string, occ: ExceptionOccurrence): void {
    const src = this.deps.attribution;
    const g = this.tracker.get(groupId);
    if (!src || !g?.location) return;
    src.attribute(g.location, occ.revision).then(
      (a) => {
        if (!a) return;
        g.attribution = a;
        this.ctx.changed('errors');
        this.ctx.emit();
      },
      (err: unknown) => this.ctx.fail('attribution', err),
    );
  }

  list(filter: ErrorFilter = {}): ErrorGroupView[] {
    return this.tracker.list(filter);
  }

  get(id: string): ErrorGroupView | undefined {
    return this.tracker.get(id);
  }

  /** Throws `ActionError` (not_found / bad_request) for a bad request. */
  async action(a: ErrorAction): Promise<ErrorGroupView[]> {
    const r = this.tracker.action(a, this.ctx.now());
    await this.ctx.acted('errors');
    return r;
  }

  /** Where the service's errors since `fromMs` were thrown: the incident suspects' evidence. */
  failingLocations(service: string, fromMs: number): LocationView[] {
    const failing: LocationView[] = [];
    for (const g of this.tracker.list({ service })) {
      if (g.lastSeenMs < fromMs) continue;
      for (const l of [g.location, ...g.samples.map((s) => s.location)]) if (l && !l.unplaced && failing.length < 500) failing.push(l);
    }
    return failing;
  }

  save(): ErrorsState {
    return this.tracker.toJSON();
  }

  load(state: unknown): void {
    if (state) this.tracker.load(state as ErrorsState);
  }

  reset(): void {
    this.pending = [];
    this.erroring = new Set();
    this.tracker.reset();
  }
}
