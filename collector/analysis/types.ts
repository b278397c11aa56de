// The analysis results the live protocol serves (collector/live/protocol.ts) and its clients
// (extension, webviews, CLI, benchmarks) import type-only: one import path for readers
// outside collector/analysis. Each type is declared in its feature's `types.ts`; code inside
// collector/analysis imports from there.
export type { BucketView, LocationView, SeriesKind, SeriesSummary, SeriesView, SeriesSignal } from '../model/queries';
export { SERIES_KINDS } from '../model/queries';
export type { Severity } from './shared/severity';
export { SEVERITY_RANK } from './shared/severity';
export type { Attribution, ErrorAction, ErrorFilter, ErrorGroupMember, ErrorGroupState, ErrorGroupView, ErrorSample, Fingerprint, FingerprintComponent } from './errors/types';
export { ERROR_GROUP_STATES } from './errors/types';
export type { Finding, FindingFilter, RepeatedCallFinding, SlowQueryFinding } from './findings/types';
export { FINDING_KINDS } from './findings/types';
export type { AnomaliesResult, AnomalyView, TrendView } from './detectors/types';
export type { AlertKind, AlertRule, AlertRulesResult, AlertState, AlertView, Comparator } from './alerts/types';
export { ALERT_STATES } from './alerts/types';
export type { ChangeEntry, IncidentAction, IncidentPublicState, IncidentState, IncidentSuspect, IncidentView, PublicUpdate, TimelineEntry } from './incidents/types';
export { INCIDENT_PUBLIC_STATES } from './incidents/types';
export type { Runbook, RunbookStep } from './runbooks/types';
export type { ComponentStatus, ComponentView, PublicIncidentView, StatusComponentConfig, StatusView, UptimeDay } from './status/types';
export { STATUS_RANK } from './status/types';
export type { NotificationEvent, WebhookConfig } from './notify/types';
