// The live protocol between the collector and its clients (the extension, the CLI, tests).
// One WebSocket per client at ws://HOST:PORT/live. This file is the single source of the
// message shapes; both sides import it (the extension through a type-only import).
//
// Client → collector:  { id, method, params }            (a request)
// Collector → client:  { id, result } | { id, error }     (its response)
//                      { event, data }                    (a pushed event, no id)
// Events are batched by the collector (at most one `changed` per EVENT_BATCH_MS) so a busy
// service does not flood clients.
//
// Each component defines the shapes of its own results in its own types file; this file maps
// method names to them. Adding a method: add it to `Methods`, implement it in the server's
// handler table (collector/live/handlers.ts), and call it with `LiveClient.request`.

import type { AiDiffEditParams, AiDiffEditResult, AiDiffsResult } from '../git/types';
import type {
  AlertRulesResult, AlertState, AlertView, AnomaliesResult, ErrorAction, ErrorFilter, ErrorGroupView, Finding, FindingFilter,
  IncidentAction, IncidentView, Runbook, SeriesSummary, SeriesView, StatusView,
} from '../analysis/types';

import type { FileSummary, LogFilter, LogView, SpanView, TraceFilter, TraceSummary } from '../model/queries';
import type { ChangeTopic } from '../model/changeTopics';
import type { RepoAiDiffs, RepoFileSummary, TeamAiDiffs, TeamFileSummary } from '../model/teamQueries';
export type { RepoFileSummary, TeamFileSummary } from '../model/teamQueries';
export { CHANGE_TOPICS, isChangeTopic, type ChangeTopic } from '../model/changeTopics';
export type { FileSummary, LineStats, LogFilter, LogView, SpanView, TraceFilter, TraceSummary } from '../model/queries';

/** 2: `changed` carries `topics` (one typed list) instead of `signals` + `areas`. */
export const PROTOCOL_VERSION = 2;
export const EVENT_BATCH_MS = 250;
export const LIVE_PATH = '/live';
export const HEALTH_PATH = '/health';

/** What `GET /health` answers; `product` tells a Vibewatch collector from anything else. */
export interface Health {
  product: 'vibewatch-collector';
  version: string;
  protocol: number;
  pid: number;
  startedAt: string;
  storage: string;
}

export interface Stats {
  received: { spans: number; logs: number; metrics: number };
  rejected: { spans: number; logs: number; metrics: number };
  /** Raw spans not kept because storage was over capacity (aggregates still counted them). */
  sampledAway: number;
  truncated: number;
  storageBytes: number;
  segments: number;
  queue: { pending: number; limit: number };
  uptimeSec: number;
  /** What the store holds now (survives restarts, unlike `received`). */
  stored?: { spans: number; logs: number; metrics: number };
  /** Export requests answered with an error status since start, by status ("400", "429"...). */
  httpErrors?: Record<string, number>;
}

/** Request methods: name → params and result. */
export interface Methods {
  health: { params: Record<string, never>; result: Health };
  stats: { params: Record<string, never>; result: Stats };
  /** Tell the collector which workspace folders this client has open (for source mapping). */
  registerWorkspace: { params: { folders: string[]; pathMappings?: Record<string, string> }; result: { ok: true } };
  fileSummary: { params: { file: string }; result: FileSummary };
  filesWithData: { params: Record<string, never>; result: { files: string[] } };
  traces: { params: TraceFilter; result: TraceSummary[] };
  trace: { params: { traceId: string }; result: SpanView[] };
  logs: { params: LogFilter; result: LogView[] };
  /** Deletes all telemetry, aggregates and analysis state (the "Clear Data" command). */
  clearData: { params: Record<string, never>; result: { ok: true } };
  /** The AI-diff ledger of a workspace, with runtime numbers and risk (collector/git). */
  aiDiffs: { params: { workspace: string }; result: AiDiffsResult };
  /** Editor capture, confirm/dismiss, manual mark/unmark, edit tracking (collector/git). */
  aiDiffEdit: { params: AiDiffEditParams; result: AiDiffEditResult };
  // ---- analysis (collector/analysis/handlers.ts) ----
  /** Error groups, newest first. */
  errors: { params: ErrorFilter; result: ErrorGroupView[] };
  errorGroup: { params: { id: string }; result: ErrorGroupView };
  /** resolve / ignore / unignore / merge / split; returns the groups it changed. */
  errorAction: { params: ErrorAction; result: ErrorGroupView[] };
  /** Slow queries, N+1 and chatty HTTP, optionally those located in one file. */
  findings: { params: FindingFilter; result: Finding[] };
  /** Active (pending, firing) alerts and the recently resolved. */
  alerts: { params: { state?: AlertState }; result: AlertView[] };
  alertRules: { params: Record<string, never>; result: AlertRulesResult };
  incidents: { params: { open?: boolean }; result: IncidentView[] };
  incident: { params: { id: string }; result: IncidentView };
  /** ack / resolve / note / statusUpdate. */
  incidentAction: { params: IncidentAction; result: IncidentView };
  /** Runbooks, optionally only those serving one rule id. */
  runbooks: { params: { ruleId?: string }; result: Runbook[] };
  /** Public status: components, public incident updates, 90-day uptime. */
  status: { params: Record<string, never>; result: StatusView };
  /** Analysis baselines (one-minute buckets): endpoints, code locations, OTLP metric series
   *  (the one place metric points are aggregated). */
  baselineSeriesList: { params: { kind?: SeriesSummary['kind'] }; result: SeriesSummary[] };
  baselineSeries: { params: { key: string }; result: SeriesView };
  /** Current anomalies (optionally located in one file) and memory trends. */
  anomalies: { params: { file?: string }; result: AnomaliesResult };
  // ---- team mode (collector/process/teamComponent.ts, collector/git/handlers.ts) ----
  /** On a team collector: production figures of one repository-relative path, at the
   *  revision of its checkout. */
  repoFileSummary: { params: { path: string }; result: RepoFileSummary };
  /** Team collector: its commit-anchored AI diffs with production figures and risk. */
  repoAiDiffs: { params: Record<string, never>; result: RepoAiDiffs };
  /** On a teammate's collector: the team collector's figures of a local file, mapped onto
   *  the working copy's lines. */
  teamFileSummary: { params: { file: string }; result: TeamFileSummary };
  /** The team collector's AI diffs, for ranking the local ones by production behaviour. */
  teamAiDiffs: { params: Record<string, never>; result: TeamAiDiffs };
}

/** What a team client (a teammate authenticated by the team API key alone, from anywhere)
 *  may call: reading only. Clearing data, editing the AI-diff ledger, acting on errors or
 *  incidents and registering folders stay with clients holding the collector's secret. */
export const TEAM_METHODS = [
  'health', 'stats', 'fileSummary', 'filesWithData', 'traces', 'trace', 'logs', 'errors', 'errorGroup', 'findings',
  'alerts', 'alertRules', 'incidents', 'incident', 'status', 'baselineSeriesList', 'baselineSeries', 'anomalies', 'repoFileSummary', 'repoAiDiffs',
] as const satisfies readonly (keyof Methods)[];

export type Method = keyof Methods;
export type Params<M extends Method> = Methods[M]['params'];
export type Result<M extends Method> = Methods[M]['result'];

export interface RequestMessage<M extends Method = Method> {
  id: number;
  method: M;
  params: Params<M>;
}
/** Why a request failed. `unknown_method`: this collector has no such method (an older
 *  collector, or a part that did not load); `not_found`: the method exists, the id does not;
 *  `forbidden`: this client may not call it (a team client calling a method that changes state). */
export const ERROR_CODES = ['bad_request', 'not_found', 'unknown_method', 'forbidden', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export type ResponseMessage = { id: number; result: unknown } | { id: number; error: { code: ErrorCode; message: string } };

/** Pushed events. `changed` carries which files and which topics have new data. */
export interface Events {
  /** `resync: true` when the change cannot be said precisely (data cleared, this client fell
   *  behind and events were dropped for it): refetch everything. */
  changed: { files: string[]; topics: ChangeTopic[]; resync?: boolean };
  hello: Health;
}
export type EventName = keyof Events;
export interface EventMessage<E extends EventName = EventName> {
  event: E;
  data: Events[E];
}

export function isResponse(m: unknown): m is ResponseMessage {
  return typeof m === 'object' && m !== null && typeof (m as { id?: unknown }).id === 'number' && ('result' in m || 'error' in m);
}
export function isEvent(m: unknown): m is EventMessage {
  return typeof m === 'object' && m !== null && typeof (m as { event?: unknown }).event === 'string';
}
