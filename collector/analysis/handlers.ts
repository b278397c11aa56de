// The analysis part of the live protocol: one handler per method in protocol.ts `Methods`
// (errors … anomalies). Params come from the network: each handler checks what it uses and
// throws `LiveError('bad_request')` with what was wrong; unknown ids are `not_found`.
import type { HandlerTable } from '../live/handlers';
import { LiveError } from '../live/handlers';
import type { AnalysisFeatures } from './features';
import { ActionError } from './errors/errors';
import { ALERT_STATES } from './alerts/types';
import { ERROR_GROUP_STATES, type ErrorAction } from './errors/types';
import { FINDING_KINDS } from './findings/types';
import { INCIDENT_PUBLIC_STATES, type IncidentAction } from './incidents/types';
import { SERIES_KINDS } from '../model/queries';
import { runbookIn } from './runbooks/runbooks';

const ERROR_ACTIONS = ['resolve', 'ignore', 'unignore', 'merge', 'split'] as const satisfies readonly ErrorAction['action'][];
const INCIDENT_ACTIONS = ['ack', 'resolve', 'note', 'statusUpdate'] as const satisfies readonly IncidentAction['action'][];

function obj(p: unknown): Record<string, unknown> {
  if (p === undefined || p === null) return {};
  if (typeof p !== 'object' || Array.isArray(p)) throw new LiveError('bad_request', 'params must be an object');
  return p as Record<string, unknown>;
}

function str(p: Record<string, unknown>, key: string, required: true): string;
function str(p: Record<string, unknown>, key: string, required?: false): string | undefined;
function str(p: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = p[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || (required && !v)) throw new LiveError('bad_request', `"${key}" must be a ${required ? 'non-empty ' : ''}string`);
  return v;
}

/** The value of `key` if it is one of `allowed` (the `as const` list its type is made of). */
function oneOf<T extends string>(p: Record<string, unknown>, key: string, allowed: readonly T[]): T | undefined {
  const v = str(p, key);
  if (v !== undefined && !(allowed as readonly string[]).includes(v)) throw new LiveError('bad_request', `"${key}" must be one of ${allowed.join(', ')}`);
  return v as T | undefined;
}

async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ActionError) throw new LiveError(err.code, err.message);
    throw err;
  }
}

function errorAction(p: Record<string, unknown>): ErrorAction {
  const action = oneOf(p, 'action', ERROR_ACTIONS);
  const groupId = str(p, 'groupId', true);
  switch (action) {
    case 'resolve':
      return { action, groupId, inRevision: str(p, 'inRevision') };
    case 'ignore':
    case 'unignore':
      return { action, groupId };
    case 'merge': {
      const ids = p.otherIds;
      if (!Array.isArray(ids) || !ids.length || !ids.every((x) => typeof x === 'string')) throw new LiveError('bad_request', '"otherIds" must be a non-empty array of group ids');
      return { action, groupId, otherIds: ids as string[] };
    }
    case 'split':
      return { action, groupId, fingerprint: str(p, 'fingerprint', true) };
    default:
      throw new LiveError('bad_request', '"action" is required');
  }
}

function incidentAction(p: Record<string, unknown>): IncidentAction {
  const action = oneOf(p, 'action', INCIDENT_ACTIONS);
  const incidentId = str(p, 'incidentId', true);
  const author = str(p, 'author');
  switch (action) {
    case 'ack':
    case 'resolve':
      return { action, incidentId, author };
    case 'note':
      return { action, incidentId, text: str(p, 'text', true), author };
    case 'statusUpdate':
      return { action, incidentId, status: oneOf(p, 'status', INCIDENT_PUBLIC_STATES) ?? 'investigating', message: str(p, 'message', true) };
    default:
      throw new LiveError('bad_request', '"action" is required');
  }
}

export interface AnalysisHandlerOptions {
  /** The folders a live client registered. Given (as in the collector), `runbooks` answers a
   *  client only with the runbooks inside its own folders: another window's runbooks are not
   *  its business. Without it (tests, tools) every runbook is served. */
  foldersOf?: (clientId: number) => string[];
}

export function analysisHandlers(features: AnalysisFeatures, options: AnalysisHandlerOptions = {}): HandlerTable {
  const { errors, findings, alerts, incidents, runbooks, status, baselines, detectors } = features;
  return {
    errors: (params) => {
      const p = obj(params);
      const state = p.state;
      if (state !== undefined && !(typeof state === 'string' ? [state] : Array.isArray(state) ? state : [0]).every((s) => (ERROR_GROUP_STATES as readonly unknown[]).includes(s))) {
        throw new LiveError('bad_request', `"state" must be one or more of ${ERROR_GROUP_STATES.join(', ')}`);
      }
      const limit = p.limit;
      if (limit !== undefined && (typeof limit !== 'number' || limit < 1)) throw new LiveError('bad_request', '"limit" must be a positive number');
      return errors.list({ service: str(p, 'service'), file: str(p, 'file'), state: state as never, limit: limit as number | undefined });
    },
    errorGroup: (params) => {
      const id = str(obj(params), 'id', true);
      const g = errors.get(id);
      if (!g) throw new LiveError('not_found', `no error group ${id}`);
      return g;
    },
    errorAction: (params) => mapErrors(() => errors.action(errorAction(obj(params)))),
    findings: (params) => {
      const p = obj(params);
      return findings.list({ file: str(p, 'file'), kind: oneOf(p, 'kind', FINDING_KINDS) });
    },
    alerts: (params) => alerts.list({ state: oneOf(obj(params), 'state', ALERT_STATES) }),
    alertRules: () => alerts.rules(),
    incidents: (params) => {
      const open = obj(params).open;
      if (open !== undefined && typeof open !== 'boolean') throw new LiveError('bad_request', '"open" must be a boolean');
      return incidents.list({ open });
    },
    incident: (params) => {
      const id = str(obj(params), 'id', true);
      const inc = incidents.get(id);
      if (!inc) throw new LiveError('not_found', `no incident ${id}`);
      return inc;
    },
    incidentAction: (params) => mapErrors(() => incidents.action(incidentAction(obj(params)))),
    runbooks: (params, ctx) => {
      const all = runbooks.list(str(obj(params), 'ruleId'));
      const folders = options.foldersOf?.(ctx.clientId);
      return folders ? all.filter((rb) => runbookIn(rb, folders)) : all;
    },
    status: () => status.view(),
    baselineSeriesList: (params) => baselines.list(oneOf(obj(params), 'kind', SERIES_KINDS)),
    baselineSeries: (params) => {
      const key = str(obj(params), 'key', true);
      const s = baselines.get(key);
      if (!s) throw new LiveError('not_found', `no series ${key}`);
      return s;
    },
    anomalies: (params) => detectors.list({ file: str(obj(params), 'file') }),
  };
}
