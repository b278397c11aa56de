// The analysis engine. Contract:
// - `observe(batch)` runs on the ingest path: O(1) work per span/point/log (aggregates,
//   buffering); stack parsing, grouping and N+1 analysis happen in `flush` (every
//   `flushIntervalMs`), alert/anomaly/incident/status evaluation in `tick` (every
//   `tickIntervalMs`).
// - All state goes through the injected `state` (the store's getState/putState): `save()`
//   every `saveIntervalMs` when something changed, after user actions, and on `shutdown()`.
//   A crash loses at most the last save interval and traces still being buffered.
// - Nothing here throws into the pipeline; failures of side work (attribution, change
//   lookups, saves on a timer) are counted in `health()` and logged.
import type { ChangeTopic, SignalTopic } from '../model/changeTopics';
import type { DurableState } from '../store/api';
import type { TelemetryBatch } from '../model/types';
import type { Processor } from '../pipeline';
import type { AnalysisSettings } from './settings';
import { resolveSettings } from './settings';
import type { StackParser } from './errors/fingerprint';
import { sourceStackParser } from './errors/stackParser';
import type { ExceptionOccurrence } from './errors/exceptions';
import { extractExceptions } from './errors/exceptions';
import { ErrorTracker } from './errors/errors';
import { QueryAnalyzer } from './findings/queries';
import { Baselines } from './baselines/baselines';
import { Detectors } from './detectors/detectors';
import { AlertEngine } from './alerts/alerts';
import { IncidentManager } from './incidents/incidents';
import { StatusTracker } from './status/status';
import { WebhookNotifier } from './notify/notify';
import type { WorkspaceConfig } from './workspaceConfig';
import { loadWorkspaceConfig } from './workspaceConfig';
import { runbookServes } from './runbooks/runbooks';
import type { AlertRule, AlertView } from './alerts/types';
import type { Attribution } from './errors/types';
import type { ChangeEntry } from './incidents/types';
import type { LocationView } from '../model/queries';
import type { Runbook } from './runbooks/types';
import type { StatusComponentConfig } from './status/types';
import { mergeRules } from './alerts/alertRules';
import { BoundedCache, shortHash } from './shared/normalize';
import type { AnomalyView, TrendView } from './detectors/types';
import type { ComponentStatus, StatusView } from './status/types';
import type { ErrorAction, ErrorFilter, ErrorGroupView } from './errors/types';
import type { Finding } from './findings/types';
import type { IncidentAction, IncidentView } from './incidents/types';
import type { SeriesSummary, SeriesView } from '../model/queries';
import { deriveStatus } from './status/status';
import type { BaselineState, CoreState, EngineParts } from './persistence';
import { BASELINES_KEY, STATE_KEY, baselineState, coreState, restore } from './persistence';
import { toRowBatch } from '../store/rows';
import type { SpanBaselines } from '../timeseries/spanBaselines';


/** Supplied by the git component: deploys and AI diffs shipped in a time window. */
export interface ChangeSource {
  /** `failing`: where the service's recent errors were thrown (error groups' locations),
   *  so AI diffs whose code fails can be suspected first. */
  changesBefore(service: string, fromMs: number, toMs: number, ctx?: { failing: LocationView[] }): Promise<ChangeEntry[]>;
}

/** Supplied by the git component: the commit / AI diff a code location lies in. */
export interface AttributionSource {
  attribute(location: LocationView, revision?: string): Promise<Attribution | undefined>;
}

export interface AnalyzerDeps {
  state: DurableState;
  stackParser?: StackParser;
  settings?: Partial<AnalysisSettings>;
  workspaceFolders?: string[];
  changes?: ChangeSource;
  attribution?: AttributionSource;
  /** Places a stack trace's throwing frame in the workspace (see ErrorTrackerOptions). */
  locateStack?: (stack: string, runtime?: string, revision?: string) => LocationView | undefined;
  notifier?: WebhookNotifier;
  log?: (message: string) => void;
  /** Clock for timers (tests pass their own times to flush/tick instead). */
  now?: () => number;
  /** The store's span series (`store.series.spans`), which the store folds from its journal
   *  and checkpoints; without it the analyzer folds each batch's spans itself. */
  spanSeries?: SpanBaselines;
}

/** The change topics analysis sends (model/changeTopics.ts). */
export type ChangeArea = Exclude<ChangeTopic, SignalTopic | 'aiDiffs'>;

export class Analyzer {
  readonly settings: AnalysisSettings;
  private readonly errors: ErrorTracker;
  private readonly queries: QueryAnalyzer;
  private readonly baselines: Baselines;
  private readonly detectors: Detectors;
  private readonly alerts: AlertEngine;
  private readonly incidents: IncidentManager;
  private readonly statusTracker = new StatusTracker(90);
  private readonly config: WorkspaceConfig = { rules: [], runbooks: [], errors: [] };
  private lastStatuses = new Map<string, ComponentStatus>();
  readonly processor: Processor = (batch) => this.observe(batch);
  readonly health = { batches: 0, droppedExceptions: 0, sideFailures: 0, saves: 0, saveFailures: 0, lastError: undefined as string | undefined };
  private pending: ExceptionOccurrence[] = [];
  private readonly seenExceptions = new BoundedCache<true>(20_000);
  /** incident id → the failing frames its suspects were last ranked on. */
  private readonly suspectSig = new Map<string, string>();
  private readonly listeners = new Set<(topics: ChangeArea[]) => void>();
  private readonly changedAreas = new Set<ChangeArea>();
  private dirty = false;
  private baselinesDirty = false;
  private lastSaveMs = 0;
  private lastBaselineSaveMs = 0;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly now: () => number;
  /** No store series given: spans are folded into the baselines here. */
  private readonly foldsSpans: boolean;
  private folders: string[];
  private readonly notifier?: WebhookNotifier;

  constructor(private readonly deps: AnalyzerDeps) {
    const s = (this.settings = resolveSettings(deps.settings));
    this.errors = new ErrorTracker({ parser: deps.stackParser ?? sourceStackParser, maxSamples: s.errorSamples, maxGroups: s.maxErrorGroups, newForMs: s.newForMs, locateStack: deps.locateStack });
    this.queries = new QueryAnalyzer({ slowQueryMs: s.slowQueryMs, nPlusOneMin: s.nPlusOneMin, chattyHttpMin: s.chattyHttpMin, quietMs: s.traceQuietMs, maxTraces: s.maxBufferedTraces, maxSpansPerTrace: s.maxSpansPerTrace, maxStatements: s.maxStatements });
    // The span series are the store's when it has them (folded from the journal, in its
    // checkpoint); otherwise (an analyzer without a store) this analyzer folds the same rows.
    this.foldsSpans = !deps.spanSeries;
    deps.spanSeries?.configure({ windowMinutes: s.windowMinutes, maxSeries: s.maxSeries, persistMinutes: s.persistMinutes, persistCoarsen: s.persistCoarsen, persistFullMinutes: s.persistFullMinutes });
    this.baselines = new Baselines({ windowMinutes: s.windowMinutes, maxSeries: s.maxSeries, limits: s.limits }, deps.spanSeries);
    this.detectors = new Detectors({ robust: s.robust, trend: s.trend, minCallsPerMinute: s.anomalyMinCallsPerMinute, graceMs: s.minuteGraceMs, memoryMetrics: s.memoryMetrics });
    const alerts = (this.alerts = new AlertEngine());
    this.incidents = new IncidentManager({
      minSeverity: s.incidentSeverity, autoResolve: s.autoResolveIncidents, maxIncidents: 500,
      runbooksFor: (ruleIds) => this.config.runbooks.filter((rb) => ruleIds.some((id) => runbookServes(rb, id))).map((rb) => rb.id),
      isFiring: (key) => alerts.get(key)?.state === 'firing',
    });
    this.now = deps.now ?? Date.now;
    this.folders = deps.workspaceFolders ?? [];
    this.notifier = deps.notifier ?? (s.webhooks.length ? new WebhookNotifier({ webhooks: s.webhooks, log: deps.log }) : undefined);
    // Rules from settings (and the defaults) work before any workspace config is read.
    const m = mergeRules(s.rules !== undefined ? [{ origin: 'settings', name: 'settings', content: s.rules }] : []);
    this.config.rules = m.rules;
    this.config.errors = m.errors;
  }

  // ---- lifecycle ---------------------------------------------------------------------

  /** Loads saved state and workspace config, then starts the flush/tick timers. */
  async start(): Promise<void> {
    await this.load();
    await this.reloadConfig();
    const t1 = setInterval(() => this.flush(this.now()), this.settings.flushIntervalMs);
    const t2 = setInterval(() => this.tickAndMaybeSave(), this.settings.tickIntervalMs);
    // Picks up edits to alerts.json, status.json and runbooks without a file watcher.
    const t3 = setInterval(() => this.reloadConfig().catch((err: unknown) => this.fail('config reload', err)), this.settings.configReloadMs);
    for (const t of [t1, t2, t3]) t.unref();
    this.timers.push(t1, t2, t3);
  }

  private tickAndMaybeSave(): void {
    const now = this.now();
    this.tick(now);
    const core = this.dirty && now - this.lastSaveMs >= this.settings.saveIntervalMs;
    const baselines = this.baselinesDirty && now - this.lastBaselineSaveMs >= this.settings.baselineSaveIntervalMs;
    if (core || baselines) this.save({ core, baselines }).catch((err: unknown) => this.fail('periodic save', err));
  }

  /** Safe to call twice or before start: stops timers, analyses buffered traces, saves,
   *  stops webhook retries. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.flush(this.now(), true);
    await this.save();
    await this.notifier?.shutdown();
  }

  setWorkspaceFolders(folders: string[]): Promise<void> {
    this.folders = [...folders];
    return this.reloadConfig();
  }

  async reloadConfig(): Promise<void> {
    const c = await loadWorkspaceConfig(this.folders, this.settings.rules);
    this.config.rules = c.rules;
    this.config.components = c.components;
    this.config.runbooks = c.runbooks;
    this.config.errors = c.errors;
    for (const e of c.errors) this.deps.log?.(`analysis config: ${e}`);
    this.mark('config', 'alerts', 'status');
    this.emit();
  }

  onChange(cb: (topics: ChangeArea[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  // ---- ingest path -------------------------------------------------------------------

  /** The ingest-path hook. Never throws: an analysis bug is counted and logged, and the
   *  batch still goes on to the store. */
  observe(batch: TelemetryBatch): void {
    if (this.stopped) return;
    this.health.batches++;
    try {
      this.observeUnsafe(batch);
    } catch (err) {
      this.fail('observe', err);
    }
  }

  private observeUnsafe(batch: TelemetryBatch): void {
    const now = this.now();
    for (const span of batch.spans) {
      this.errors.noteRevision(span.resource.serviceName, span.resource.revision);
      this.queries.observeSpan(span, now);
    }
    if (this.foldsSpans && batch.spans.length) this.baselines.spans.addRows(toRowBatch(batch));
    for (const p of batch.metrics) this.baselines.observeMetric(p);
    if (batch.spans.length || batch.logs.length) {
      for (const occ of extractExceptions(batch)) {
        if (this.pending.length >= this.settings.maxPendingExceptions) {
          this.pending.shift();
          this.health.droppedExceptions++;
        }
        this.pending.push(occ);
      }
    }
    this.baselinesDirty = true;
  }

  /** Groups pending exceptions and analyses quiet traces (all buffered traces with `force`). */
  flush(nowMs: number, force = false): void {
    const pending = this.pending;
    this.pending = [];
    const erroring = new Set<string>();
    for (const occ of pending) {
      // One exception often arrives twice: as the span's `exception` event and as a log
      // record (console.error(err)) in the same span. Count it once.
      if (occ.traceId && occ.spanId) {
        const k = `${occ.traceId}|${occ.spanId}|${occ.type}|${occ.message}`;
        if (this.seenExceptions.get(k)) continue;
        this.seenExceptions.set(k, true);
      }
      // One exception recorded on several spans of a trace (Nest's instrumentation records it
      // on the handler and on the request span): the same type, message and stack is one.
      if (occ.traceId && occ.stack) {
        const k = `${occ.traceId}|${occ.type}|${occ.message}|${shortHash(occ.stack)}`;
        if (this.seenExceptions.get(k)) continue;
        this.seenExceptions.set(k, true);
      }
      const r = this.errors.ingest(occ);
      erroring.add(occ.service);
      this.mark('errors');
      this.dirty = true;
      if (r.created) this.attribute(r.groupId, occ);
    }
    this.refreshSuspects(erroring, nowMs);
    this.queries.flush(nowMs, force);
    if (this.queries.takeChanged()) {
      this.mark('findings');
      this.dirty = true;
    }
    this.emit();
  }

  private attribute(groupId: string, occ: ExceptionOccurrence): void {
    const src = this.deps.attribution;
    const g = this.errors.get(groupId);
    if (!src || !g?.location) return;
    src.attribute(g.location, occ.revision).then(
      (a) => {
        if (!a) return;
        g.attribution = a;
        this.dirty = true;
        this.mark('errors');
        this.emit();
      },
      (err: unknown) => this.fail('attribution', err),
    );
  }

  // ---- evaluation --------------------------------------------------------------------

  /** Evaluates anomalies, trends, alerts, incidents and status at `nowMs`. */
  tick(nowMs: number): void {
    this.flush(nowMs);
    if (this.errors.tick(nowMs)) this.mark('errors');
    if (this.detectors.run(this.baselines, nowMs)) this.mark('anomalies');
    // Uptime accrues every tick, and detectors remember the minutes they scored.
    this.dirty = true;
    const t = this.alerts.evaluate(this.rules(), {
      nowMs, baselines: this.baselines, findings: this.findings({}),
      anomalies: [...this.detectors.anomalies.values()], trends: [...this.detectors.trends.values()],
    });
    if (t.changed) {
      this.mark('alerts', 'status');
      this.dirty = true;
    }
    const notifier = this.notifier;
    for (const a of t.fired) {
      notifier?.notify({ type: 'alert.firing', alert: a });
      const r = this.incidents.onAlertFired(a, nowMs);
      if (!r) continue;
      this.mark('incidents');
      notifier?.notify({ type: r.opened ? 'incident.opened' : 'incident.updated', incident: r.incident, change: r.opened ? `opened by ${a.title}` : `${a.title} joined` });
      if (r.opened) this.addChanges(r.incident.id, r.incident.service, nowMs);
    }
    for (const a of t.resolved) {
      notifier?.notify({ type: 'alert.resolved', alert: a });
      const inc = this.incidents.onAlertResolved(a, nowMs);
      if (!inc) continue;
      this.mark('incidents');
      notifier?.notify({ type: inc.state === 'resolved' ? 'incident.resolved' : 'incident.updated', incident: inc, change: `alert resolved: ${a.title}` });
    }
    const before = this.lastStatuses;
    const statuses = this.componentStatuses();
    this.statusTracker.record(statuses, nowMs);
    if ([...statuses].some(([id, s]) => before.get(id) !== s)) this.mark('status');
    this.lastStatuses = statuses;
    this.emit();
  }

  /** Where the service's recent errors were thrown: the incident suspects' evidence. */
  private failingLocations(service: string, fromMs: number): LocationView[] {
    const failing: LocationView[] = [];
    for (const g of this.errors.list({ service })) {
      if (g.lastSeenMs < fromMs) continue;
      for (const l of [g.location, ...g.samples.map((s) => s.location)]) if (l && !l.unplaced && failing.length < 500) failing.push(l);
    }
    return failing;
  }

  /** Open incidents re-rank their suspects when the failing frames of their service change
   *  (errors often arrive after the alert that opened the incident). */
  private refreshSuspects(services: Set<string>, nowMs: number): void {
    if (!this.deps.changes || !services.size) return;
    for (const inc of this.incidents.list()) {
      if (inc.state === 'resolved' || !services.has(inc.service)) continue;
      const sig = this.failingLocations(inc.service, inc.openedAtMs - this.settings.changeWindowMs).map((l) => `${l.file}:${l.line}`).sort().join('|');
      if (this.suspectSig.get(inc.id) === sig) continue;
      this.suspectSig.set(inc.id, sig);
      this.addChanges(inc.id, inc.service, inc.openedAtMs, true);
    }
  }

  private addChanges(incidentId: string, service: string, nowMs: number, suspectsOnly = false): void {
    const src = this.deps.changes;
    if (!src) return;
    const fromMs = nowMs - this.settings.changeWindowMs;
    const failing = this.failingLocations(service, fromMs);
    src.changesBefore(service, fromMs, nowMs, { failing }).then(
      (changes) => {
        if (!changes.length) return;
        if (suspectsOnly) this.incidents.setSuspects(incidentId, changes);
        else this.incidents.addChanges(incidentId, changes);
        this.dirty = true;
        this.mark('incidents');
        this.emit();
      },
      (err: unknown) => this.fail('change lookup', err),
    );
  }

  rules(): AlertRule[] {
    return this.config.rules;
  }

  // ---- user actions (persisted at once) ----------------------------------------------

  private async afterAction(...areas: ChangeArea[]): Promise<void> {
    this.mark(...areas);
    this.dirty = true;
    this.emit();
    await this.save();
  }

  // ---- queries ------------------------------------------------------------------------

  errorGroups(filter: ErrorFilter = {}): ErrorGroupView[] {
    return this.errors.list(filter);
  }

  errorGroup(id: string): ErrorGroupView | undefined {
    return this.errors.get(id);
  }

  /** Throws `ActionError` (not_found / bad_request) for a bad request. */
  async errorAction(a: ErrorAction): Promise<ErrorGroupView[]> {
    const r = this.errors.action(a, this.now());
    await this.afterAction('errors');
    return r;
  }

  findings(filter: { file?: string; kind?: Finding['kind'] } = {}): Finding[] {
    const all: Finding[] = [...this.queries.slowQueries(), ...this.queries.repeatedCalls()];
    return all.filter((f) => (!filter.kind || f.kind === filter.kind) && (!filter.file || f.location?.file === filter.file));
  }

  alertList(filter: { state?: AlertView['state'] } = {}): AlertView[] {
    return this.alerts.list().filter((a) => !filter.state || a.state === filter.state);
  }

  alertRules(): { rules: AlertRule[]; errors: string[] } {
    return { rules: this.config.rules, errors: this.config.errors };
  }

  incidentList(filter: { open?: boolean } = {}): IncidentView[] {
    return filter.open ? this.incidents.open() : this.incidents.list();
  }

  incident(id: string): IncidentView | undefined {
    return this.incidents.get(id);
  }

  async incidentAction(a: IncidentAction): Promise<IncidentView> {
    const inc = this.incidents.action(a, this.now());
    const change = a.action === 'note' ? 'note added' : a.action === 'statusUpdate' ? `public update: ${a.status}` : a.action === 'ack' ? 'acknowledged' : 'resolved';
    this.notifier?.notify({ type: inc.state === 'resolved' && a.action !== 'note' ? 'incident.resolved' : 'incident.updated', incident: inc, change });
    await this.afterAction('incidents', 'status');
    return inc;
  }

  runbooks(ruleId?: string): Runbook[] {
    return ruleId ? this.config.runbooks.filter((rb) => runbookServes(rb, ruleId)) : this.config.runbooks;
  }

  /** Components from status.json. Without one, none: the status page is public, and any
   *  sender can name a service (publishing components, or declaring an outage of one). The
   *  `publishTelemetryServices` setting opts in to one component per service seen. */
  components(): StatusComponentConfig[] {
    if (this.config.components?.length) return this.config.components;
    if (!this.settings.publishTelemetryServices) return [];
    const services = new Set<string>();
    for (const se of this.baselines.series.values()) services.add(se.service);
    for (const g of this.errors.list({ limit: 1000 })) for (const s of g.services) services.add(s);
    for (const a of this.alerts.list()) if (a.service) services.add(a.service);
    return [...services].sort().map((s) => ({ id: s, name: s, services: [s] }));
  }

  private componentStatuses(): Map<string, ComponentStatus> {
    const firing = this.alerts.firing();
    const open = this.incidents.open();
    const byKey = (k: string) => this.alerts.get(k);
    return new Map(this.components().map((c) => [c.id, deriveStatus(c, firing, open, byKey)]));
  }

  /** Public status: no stack traces, paths or attributes. */
  status(nowMs = this.now()): StatusView {
    return this.statusTracker.view(this.components(), this.componentStatuses(), this.incidents.list(), (k) => this.alerts.get(k), nowMs);
  }

  seriesList(kind?: SeriesSummary['kind']): SeriesSummary[] {
    return [...this.baselines.series.values()].filter((s) => !kind || s.kind === kind).map((s) => s.summary());
  }

  series(key: string): SeriesView | undefined {
    const s = this.baselines.series.get(key);
    return s ? { ...s.summary(), buckets: s.bucketViews() } : undefined;
  }

  anomalies(filter: { file?: string } = {}): { anomalies: AnomalyView[]; trends: TrendView[] } {
    const anomalies = [...this.detectors.anomalies.values()].filter((a) => !filter.file || a.location?.file === filter.file);
    return { anomalies, trends: filter.file ? [] : [...this.detectors.trends.values()] };
  }

  // ---- persistence -------------------------------------------------------------------

  private parts(): EngineParts {
    const { errors, queries, baselines, detectors, alerts, incidents, statusTracker } = this;
    return { errors, queries, baselines, detectors, alerts, incidents, statusTracker };
  }

  /** Writes the state through `putState` (both parts by default). Resolves when durable. */
  async save(parts: { core?: boolean; baselines?: boolean } = { core: true, baselines: true }): Promise<void> {
    try {
      if (parts.core) {
        this.dirty = false;
        await this.deps.state.putState(STATE_KEY, coreState(this.parts(), this.now()));
        this.lastSaveMs = this.now();
      }
      if (parts.baselines) {
        this.baselinesDirty = false;
        await this.deps.state.putState(BASELINES_KEY, baselineState(this.parts(), this.settings, this.now()));
        this.lastBaselineSaveMs = this.now();
      }
      this.health.saves++;
    } catch (err) {
      if (parts.core) this.dirty = true;
      if (parts.baselines) this.baselinesDirty = true;
      this.health.saveFailures++;
      throw err;
    }
  }

  /** Restores what `save` wrote (nothing when there is no saved state or its version differs). */
  async load(): Promise<void> {
    const core = await this.deps.state.getState<CoreState>(STATE_KEY);
    const base = await this.deps.state.getState<BaselineState>(BASELINES_KEY);
    restore(this.parts(), core, base);
    this.lastStatuses = this.componentStatuses();
  }

  /** Forgets everything learned (the "clear data" command): every part is restored from the
   *  state of a fresh engine with the same settings, then saved. Config and timers stay. */
  async reset(): Promise<void> {
    const fresh = new Analyzer({ ...this.deps, notifier: undefined, settings: { ...this.settings, webhooks: [] } });
    const now = this.now();
    restore(this.parts(), coreState(fresh.parts(), now), baselineState(fresh.parts(), this.settings, now));
    this.pending = [];
    this.lastStatuses = this.componentStatuses();
    this.mark('errors', 'findings', 'anomalies', 'alerts', 'incidents', 'status');
    this.emit();
    await this.save();
  }

  /** Bytes the two saved parts take as JSON now (for health and benchmarks). */
  stateSize(): { core: number; baselines: number } {
    const now = this.now();
    return { core: JSON.stringify(coreState(this.parts(), now)).length, baselines: JSON.stringify(baselineState(this.parts(), this.settings, now)).length };
  }

  // ---- change events -----------------------------------------------------------------

  private mark(...areas: ChangeArea[]): void {
    for (const a of areas) this.changedAreas.add(a);
  }

  private emit(): void {
    if (!this.changedAreas.size) return;
    const areas = [...this.changedAreas];
    this.changedAreas.clear();
    for (const cb of this.listeners) {
      try {
        cb(areas);
      } catch (err) {
        this.fail('change listener', err);
      }
    }
  }

  private fail(what: string, err: unknown): void {
    this.health.sideFailures++;
    this.health.lastError = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    this.deps.log?.(`analysis ${this.health.lastError}`);
  }
}
