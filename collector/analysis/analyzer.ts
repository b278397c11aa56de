// The analysis scheduler. It runs the features (features.ts) and nothing else:
// - `observe(batch)` runs on the ingest path: each feature's O(1) work per span/point/log;
//   grouping, trace analysis and the like wait for `flush` (every `flushIntervalMs`),
//   evaluation (anomalies, alerts, incidents, status) for `tick` (every `tickIntervalMs`).
// - All state goes through the injected `state` (the store's getState/putState): `save()`
//   every `saveIntervalMs` when something changed, after user actions, and on `shutdown()`.
//   A crash loses at most the last save interval and traces still being buffered.
// - Nothing here throws into the pipeline; failures of side work (attribution, change
//   lookups, saves on a timer) are counted in `health` and logged.
import type { DurableState } from '../store/api';
import type { TelemetryBatch } from '../model/types';
import type { Processor } from '../pipeline';
import type { AnalysisSettings } from './settings';
import { resolveSettings } from './settings';
import { AnalysisConfig } from './config';
import type { AnalysisFeature, AnalysisHealth, ChangeArea, FeatureContext } from './feature';
import type { AnalysisFeatures, FeatureDeps } from './features';
import { composeFeatures } from './features';
import { sourceStackParser } from './errors/stackParser';
import type { SavedPart } from './persistence';
import { BASELINES_KEY, STATE_KEY, baselineState, coreState, restore } from './persistence';

export interface AnalyzerDeps extends Partial<FeatureDeps> {
  state: DurableState;
  settings?: Partial<AnalysisSettings>;
  workspaceFolders?: string[];
  log?: (message: string) => void;
  /** Clock for timers (tests pass their own times to flush/tick instead). */
  now?: () => number;
  /** Saves on the tick timer (default). Off when the owner saves at its own points, which
   *  must match something else it saves (the team analysis: its record cursors). */
  periodicSaves?: boolean;
}

export class Analyzer {
  readonly settings: AnalysisSettings;
  /** The features by name, in scheduling order: what the live handlers read and act on. */
  readonly features: AnalysisFeatures;
  private readonly order: readonly AnalysisFeature[];
  /** The features with an ingest-path hook (the hot loop runs only these). */
  private readonly observers: readonly AnalysisFeature[];
  private readonly config: AnalysisConfig;
  readonly processor: Processor = (batch) => this.observe(batch);
  readonly health: AnalysisHealth = { batches: 0, droppedExceptions: 0, sideFailures: 0, saves: 0, saveFailures: 0, lastError: undefined };
  private readonly listeners = new Set<(topics: ChangeArea[]) => void>();
  private readonly changedAreas = new Set<ChangeArea>();
  private dirty = false;
  private baselinesDirty = false;
  private lastSaveMs = 0;
  private lastBaselineSaveMs = 0;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly now: () => number;
  private folders: string[];

  constructor(private readonly deps: AnalyzerDeps) {
    this.settings = resolveSettings(deps.settings);
    this.now = deps.now ?? Date.now;
    this.folders = deps.workspaceFolders ?? [];
    this.config = new AnalysisConfig(this.settings.rules);
    this.features = composeFeatures(this.context(), this.config, { ...deps, stackParser: deps.stackParser ?? sourceStackParser });
    this.order = Object.values(this.features);
    this.observers = this.order.filter((f) => f.observe);
  }

  private context(): FeatureContext {
    return {
      settings: this.settings,
      health: this.health,
      now: () => this.now(),
      changed: (...topics) => {
        this.mark(...topics);
        this.dirty = true;
      },
      emit: () => this.emit(),
      acted: async (...topics) => {
        this.mark(...topics);
        this.dirty = true;
        this.emit();
        await this.save();
      },
      fail: (what, err) => this.fail(what, err),
      log: this.deps.log,
    };
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
    if (this.deps.periodicSaves === false) return;
    const core = this.dirty && now - this.lastSaveMs >= this.settings.saveIntervalMs;
    const baselines = this.baselinesDirty && now - this.lastBaselineSaveMs >= this.settings.baselineSaveIntervalMs;
    if (core || baselines) this.save({ core, baselines }).catch((err: unknown) => this.fail('periodic save', err));
  }

  /** Safe to call twice or before start: stops timers, analyses buffered traces, saves,
   *  then lets each feature finish (webhook retries stop). */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.flush(this.now(), true);
    await this.save();
    for (const f of this.order) await f.shutdown?.();
  }

  /** Stops without saving: another process holds the team's analysis now, and its state is
   *  the newer one (process/teamAnalysis.ts). Timers stop and webhook retries end. */
  async halt(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const f of this.order) await f.shutdown?.();
  }

  setWorkspaceFolders(folders: string[]): Promise<void> {
    this.folders = [...folders];
    return this.reloadConfig();
  }

  async reloadConfig(): Promise<void> {
    for (const e of await this.config.reload(this.folders)) this.deps.log?.(`analysis config: ${e}`);
    this.mark('config', 'alerts', 'status');
    this.emit();
  }

  onChange(cb: (topics: ChangeArea[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  // ---- scheduling ----------------------------------------------------------------------

  /** The ingest-path hook. Never throws: an analysis bug is counted and logged, and the
   *  batch still goes on to the store. */
  observe(batch: TelemetryBatch): void {
    if (this.stopped) return;
    this.health.batches++;
    try {
      const now = this.now();
      for (const f of this.observers) f.observe!(batch, now);
      this.baselinesDirty = true;
    } catch (err) {
      this.fail('observe', err);
    }
  }

  /** Work buffered by `observe` (all buffered traces with `force`). */
  flush(nowMs: number, force = false): void {
    for (const f of this.order) f.flush?.(nowMs, force);
    this.emit();
  }

  /** A flush, then each feature's evaluation at `nowMs`. */
  tick(nowMs: number): void {
    this.flush(nowMs);
    for (const f of this.order) f.tick?.(nowMs);
    // Uptime accrues every tick, and detectors remember the minutes they scored.
    this.dirty = true;
    this.emit();
  }

  // ---- persistence -------------------------------------------------------------------

  /** Writes the state through `putState` (both parts by default). Resolves when durable. */
  async save(parts: { core?: boolean; baselines?: boolean } = { core: true, baselines: true }): Promise<void> {
    try {
      if (parts.core) {
        this.dirty = false;
        await this.deps.state.putState(STATE_KEY, coreState(this.order, this.now()));
        this.lastSaveMs = this.now();
      }
      if (parts.baselines) {
        this.baselinesDirty = false;
        await this.deps.state.putState(BASELINES_KEY, baselineState(this.order, this.now()));
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
    const core = await this.deps.state.getState<SavedPart>(STATE_KEY);
    const base = await this.deps.state.getState<SavedPart>(BASELINES_KEY);
    restore(this.order, core, base);
  }

  /** Forgets everything learned (the "clear data" command): each feature resets in order,
   *  then the empty state is saved. Config and timers stay. */
  async reset(): Promise<void> {
    for (const f of this.order) {
      f.reset();
      this.mark(...f.topics);
    }
    this.emit();
    await this.save();
  }

  /** Bytes the two saved parts take as JSON now (for health and benchmarks). */
  stateSize(): { core: number; baselines: number } {
    const now = this.now();
    return { core: JSON.stringify(coreState(this.order, now)).length, baselines: JSON.stringify(baselineState(this.order, now)).length };
  }

  // ---- change events -----------------------------------------------------------------

  private mark(...areas: readonly ChangeArea[]): void {
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
