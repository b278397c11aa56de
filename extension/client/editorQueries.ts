// The collector methods the editor features call beyond the base protocol: analysis
// (errors, findings, anomalies, alerts, incidents, runbooks, clearData).
// They are owned by other areas and may land in collector/live/protocol.ts `Methods` after
// this file was written; until then they are declared here (the same names and result
// types as collector/analysis/types.ts and webview/protocol.ts PanelMethods) and sent through an
// untyped call. One place to adjust if a name differs.
import type { AlertView, AnomalyView, ErrorFilter, ErrorGroupView, Finding, IncidentAction, IncidentView, Runbook } from '../../collector/analysis/types';
import type { CollectorClient } from '../collectorClient';

export interface EditorMethods {
  errorGroups: { params: ErrorFilter; result: ErrorGroupView[] };
  findings: { params: { file?: string }; result: Finding[] };
  anomalies: { params: Record<string, never>; result: AnomalyView[] };
  alerts: { params: Record<string, never>; result: AlertView[] };
  incidents: { params: Record<string, never>; result: IncidentView[] };
  incidentAction: { params: IncidentAction; result: { ok: true } };
  runbooks: { params: Record<string, never>; result: Runbook[] };
  clearData: { params: Record<string, never>; result: unknown };
}
export type EditorMethod = keyof EditorMethods;

/** Calls an editor method whether or not protocol.ts declares it yet. */
export function callEditor<M extends EditorMethod>(client: CollectorClient, method: M, params: EditorMethods[M]['params']): Promise<EditorMethods[M]['result']> {
  const loose = client.request as unknown as (m: string, p: unknown) => Promise<EditorMethods[M]['result']>;
  return loose.call(client, method, params);
}

/** True when the collector does not know the method (its area has not landed): callers show nothing. */
export function isUnknownMethod(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'not_found' || e?.code === 'unknown_method' || /unknown method|no handler|not implemented/i.test(e?.message ?? '');
}
