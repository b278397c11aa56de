// The one shape every analysis feature has (errors/, findings/, baselines/, detectors/,
// alerts/, incidents/, status/, notify/, runbooks/). The Analyzer (analyzer.ts) is their
// scheduler: it calls `observe` on the ingest path, `flush` and `tick` on its timers, each in
// the order of `composeFeatures` (features.ts), and saves and loads their state. A feature
// reads the features it needs through its constructor, never through the scheduler.
import type { ChangeTopic, SignalTopic } from '../model/changeTopics';
import type { TelemetryBatch } from '../model/types';
import type { AnalysisSettings } from './settings';

/** The change topics analysis sends (model/changeTopics.ts). */
export type ChangeArea = Exclude<ChangeTopic, SignalTopic | 'aiDiffs'>;

/** Counters the scheduler reports in `Analyzer.health`; features add to them. */
export interface AnalysisHealth {
  batches: number;
  droppedExceptions: number;
  sideFailures: number;
  saves: number;
  saveFailures: number;
  lastError: string | undefined;
}

/** What the scheduler gives each feature. */
export interface FeatureContext {
  readonly settings: AnalysisSettings;
  readonly health: AnalysisHealth;
  now(): number;
  /** Something clients show changed: the topics go out with the next change event, and the
   *  core state is saved at the next save interval. */
  changed(...topics: ChangeArea[]): void;
  /** Sends pending change events now: for work finished outside observe/flush/tick (an
   *  asynchronous lookup resolved). */
  emit(): void;
  /** A user action changed state: sends the change event and saves at once (resolves when
   *  the state is durable). */
  acted(...topics: ChangeArea[]): Promise<void>;
  /** Counts and logs a failure of side work; never throws. */
  fail(what: string, err: unknown): void;
  log?(message: string): void;
}

export interface AnalysisFeature {
  /** Its field in the saved state (kept from the first saved format: `errors`, `queries`…). */
  readonly name: string;
  /** Which saved part holds its state: `core` (small, saved often) or `baselines` (bigger,
   *  saved less often). None: the feature keeps no state. */
  readonly part?: 'core' | 'baselines';
  /** The topics it sends; all of them are sent after `reset`. */
  readonly topics: readonly ChangeArea[];
  /** Ingest path: O(1) work per span, point or log; heavier work waits for `flush`. */
  observe?(batch: TelemetryBatch, nowMs: number): void;
  /** Every flush interval (and with `force` at shutdown): work buffered by `observe`. */
  flush?(nowMs: number, force: boolean): void;
  /** Every tick interval, after a flush: evaluation over what is known at `nowMs`. */
  tick?(nowMs: number): void;
  /** Its state as JSON-safe data (what `load` gets back after a restart). */
  save?(nowMs: number): unknown;
  /** Called once at start, in feature order: `state` is what `save` returned, or undefined
   *  when nothing (or another version) was saved. */
  load?(state: unknown): void;
  /** Forgets everything learned (Clear Data); configuration stays. */
  reset(): void;
  /** Last work before the process ends (after the final flush and save). */
  shutdown?(): Promise<void>;
}
