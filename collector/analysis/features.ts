// The one list of analysis features, in scheduling order: each batch, flush and tick runs
// them in this order (a feature comes after the features it reads), and their state is
// loaded in it. A new feature is a folder with a class implementing `AnalysisFeature`
// (feature.ts) and one line here; what it needs from others goes in through its constructor.
import type { LocationView } from '../model/queries';
import type { SpanBaselines } from '../timeseries/spanBaselines';
import type { AnalysisConfig } from './config';
import type { FeatureContext } from './feature';
import { AlertsFeature } from './alerts/alertsFeature';
import { BaselinesFeature } from './baselines/baselinesFeature';
import { DetectorsFeature } from './detectors/detectorsFeature';
import type { AttributionSource } from './errors/errorsFeature';
import { ErrorsFeature } from './errors/errorsFeature';
import type { StackParser } from './errors/fingerprint';
import { FindingsFeature } from './findings/findingsFeature';
import type { ChangeSource } from './incidents/incidentsFeature';
import { IncidentsFeature } from './incidents/incidentsFeature';
import { WebhookNotifier } from './notify/notify';
import { NotifyFeature } from './notify/notifyFeature';
import { RunbooksFeature } from './runbooks/runbooksFeature';
import { StatusFeature } from './status/statusFeature';

/** What the features take from outside the analysis (the git component, the store). */
export interface FeatureDeps {
  stackParser: StackParser;
  locateStack?: (stack: string, runtime?: string, revision?: string) => LocationView | undefined;
  attribution?: AttributionSource;
  changes?: ChangeSource;
  notifier?: WebhookNotifier;
  spanSeries?: SpanBaselines;
}

export function composeFeatures(ctx: FeatureContext, config: AnalysisConfig, deps: FeatureDeps) {
  const s = ctx.settings;
  const notify = new NotifyFeature(deps.notifier ?? (s.webhooks.length ? new WebhookNotifier({ webhooks: s.webhooks, log: ctx.log }) : undefined));
  const runbooks = new RunbooksFeature(config);
  const errors = new ErrorsFeature(ctx, { parser: deps.stackParser, locateStack: deps.locateStack, attribution: deps.attribution });
  const findings = new FindingsFeature(ctx);
  const baselines = new BaselinesFeature(ctx, deps.spanSeries);
  const detectors = new DetectorsFeature(ctx, baselines);
  const alerts = new AlertsFeature(ctx, { config, baselines, findings, detectors });
  const incidents = new IncidentsFeature(ctx, { alerts, errors, runbooks, notify, changes: deps.changes });
  const status = new StatusFeature(ctx, { config, baselines, errors, alerts, incidents });
  // A transition is sent to webhooks before the incident it opens is.
  alerts.onTransition(notify);
  alerts.onTransition(incidents);
  return { errors, findings, baselines, detectors, alerts, incidents, status, notify, runbooks };
}

/** The features by name, for the live handlers and for tests. */
export type AnalysisFeatures = ReturnType<typeof composeFeatures>;
