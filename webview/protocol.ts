// THE message protocol between a Vibewatch panel (webview) and the extension host.
// Both sides import this file; nothing else declares panel messages.
//
// Contract:
//  - The panel posts `ready` once its message listener is installed; the host sends nothing
//    before that (a webview drops messages posted before its handler listens).
//  - Data requests carry a numeric `id` chosen by the panel; the host answers exactly once
//    with `response` (same id) or `failure` (same id).
//  - The host pushes `changed` (new telemetry / analysis state) to every open panel; panels
//    re-query what they show. `show` asks a panel to focus on something (a trace, a group).
//  - Actions that leave the panel (open a file, run a runbook) are one-way messages.
//
// Data shapes come from collector/live/protocol.ts (telemetry) and
// collector/analysis/types.ts (errors, alerts, incidents, series, status).
import type { LogFilter, Methods, TraceFilter, TraceSummary } from '../collector/live/protocol';
import { isChangeTopic, type ChangeTopic } from '../collector/model/changeTopics';
export type { ChangeTopic };
import type { ErrorGroupView } from '../collector/analysis/types';

export type PanelName = 'traces' | 'logs' | 'errors' | 'alerts' | 'incidents' | 'metrics' | 'status';
export const PANEL_NAMES: readonly PanelName[] = ['traces', 'logs', 'errors', 'alerts', 'incidents', 'metrics', 'status'];

/** A place in the workspace a panel can ask the editor to open. */
export interface OpenLocation {
  file: string;
  line: number;
  column?: number;
}

// ---- Analysis shapes: owned by collector/analysis/types.ts; only panel-side additions here ----

/** A stack frame as the errors panel shows it. The collector may send frames already mapped
 *  to workspace files; otherwise the panel parses the sample's raw stack (webview/lib/stack.ts). */
export interface StackFrameView {
  function?: string;
  file?: string;
  line?: number;
  column?: number;
  inApp: boolean;
  raw: string;
}
export type ErrorGroupDetail = ErrorGroupView & { frames?: StackFrameView[] };

/** Data requests a panel may make: a subset of the live protocol's `Methods`, under the same
 *  names and shapes, so the extension host forwards them unchanged. One panel-only
 *  extension: `traces.aiOnly`, which the host turns into `files` (the AI-diff files). */
type LiveSubset = Pick<Methods, 'trace' | 'logs' | 'errors' | 'errorGroup' | 'errorAction' | 'alerts' | 'alertRules' | 'baselineSeriesList' | 'baselineSeries' | 'anomalies' | 'incidents' | 'incident' | 'incidentAction' | 'runbooks' | 'status'>;
export interface PanelMethods extends LiveSubset {
  traces: { params: TraceFilter & { aiOnly?: boolean }; result: TraceSummary[] };
}
export type PanelMethod = keyof PanelMethods;
export type PanelParams<M extends PanelMethod> = PanelMethods[M]['params'];
export type PanelResult<M extends PanelMethod> = PanelMethods[M]['result'];

/** What a panel should focus on when shown (`show` message, or restored state). */
export interface PanelFocus {
  traceId?: string;
  /** Traces panel: only traces with a span located in this workspace file (from a lens).
   *  Logs panel: only records located there (and at `line`, when given). */
  file?: string;
  line?: number;
  errorGroupId?: string;
  incidentId?: string;
  alertKey?: string;
  seriesKey?: string;
  logFilter?: LogFilter;
}

// ---- Panel → host ----
export type PanelToHost =
  | { type: 'ready'; panel: PanelName }
  | { [M in PanelMethod]: { type: 'request'; id: number; method: M; params: PanelParams<M> } }[PanelMethod]
  | { type: 'openSource'; location: OpenLocation }
  | { type: 'runRunbook'; runbookId: string; incidentId?: string }
  /** Open another panel focused on something ("its trace one click away"). */
  | { type: 'showPanel'; panel: PanelName; focus: PanelFocus };

// ---- Host → panel ----
export type HostToPanel =
  | { type: 'response'; id: number; result: unknown }
  | { type: 'failure'; id: number; message: string }
  /** New data by topic; an empty list: refetch everything. */
  | { type: 'changed'; topics: ChangeTopic[] }
  | { type: 'show'; focus: PanelFocus };

const isObj = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;
const METHODS = new Set<string>(['traces', 'trace', 'logs', 'errors', 'errorGroup', 'errorAction', 'alerts', 'alertRules', 'baselineSeriesList', 'baselineSeries', 'anomalies', 'incidents', 'incident', 'incidentAction', 'runbooks', 'status'] satisfies PanelMethod[]);

export function isPanelMethod(m: unknown): m is PanelMethod {
  return typeof m === 'string' && METHODS.has(m);
}

/** Validates what a webview posts: the host treats the panel as untrusted input. */
export function isPanelToHost(m: unknown): m is PanelToHost {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'ready':
      return typeof m.panel === 'string' && (PANEL_NAMES as readonly string[]).includes(m.panel);
    case 'request':
      return typeof m.id === 'number' && isPanelMethod(m.method) && isObj(m.params);
    case 'openSource':
      return isObj(m.location) && typeof m.location.file === 'string' && typeof m.location.line === 'number';
    case 'runRunbook':
      return typeof m.runbookId === 'string';
    case 'showPanel':
      return typeof m.panel === 'string' && (PANEL_NAMES as readonly string[]).includes(m.panel) && isObj(m.focus);
    default:
      return false;
  }
}

export function isHostToPanel(m: unknown): m is HostToPanel {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'response':
      return typeof m.id === 'number' && 'result' in m;
    case 'failure':
      return typeof m.id === 'number' && typeof m.message === 'string';
    case 'changed':
      return Array.isArray(m.topics) && m.topics.every(isChangeTopic);
    case 'show':
      return isObj(m.focus);
    default:
      return false;
  }
}
