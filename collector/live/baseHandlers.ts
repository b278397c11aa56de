// The live methods every collector answers, delegating to the store.
import type { TelemetryStore } from '../store/api';
import { fillIssuedFrom } from '../source/issuedFrom';
import { LiveError, type HandlerTable } from './handlers';
import type { Health, Stats } from './protocol';
import type { WorkspaceRegistry } from './workspaceRegistry';

export interface BaseHandlerDeps {
  store: TelemetryStore;
  health: () => Health;
  stats: () => Promise<Stats>;
  workspaces: WorkspaceRegistry;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function baseHandlers(d: BaseHandlerDeps): HandlerTable {
  return {
    health: () => d.health(),
    stats: () => d.stats(),
    registerWorkspace: (p, ctx) => {
      if (!isStringArray(p?.folders)) throw new LiveError('bad_request', 'registerWorkspace needs folders: string[]');
      const mappings = p.pathMappings ?? {};
      if (typeof mappings !== 'object' || Object.values(mappings).some((v) => typeof v !== 'string')) throw new LiveError('bad_request', 'pathMappings must map strings to strings');
      d.workspaces.register(ctx.clientId, { folders: p.folders, pathMappings: mappings });
      return { ok: true };
    },
    fileSummary: (p) => {
      if (typeof p?.file !== 'string' || p.file === '') throw new LiveError('bad_request', 'fileSummary needs file');
      return d.store.fileSummary(p.file);
    },
    filesWithData: async () => ({ files: await d.store.filesWithData() }),
    traces: (p) => {
      if (p?.limit !== undefined && (typeof p.limit !== 'number' || p.limit < 1)) throw new LiveError('bad_request', 'limit must be a positive number');
      return d.store.traces(p ?? {});
    },
    trace: async (p) => {
      if (typeof p?.traceId !== 'string' || !/^[0-9a-f]{32}$/.test(p.traceId)) throw new LiveError('bad_request', 'trace needs a 32-hex-character traceId');
      return fillIssuedFrom(await d.store.trace(p.traceId));
    },
    logs: (p) => d.store.logs(p ?? {}),
  };
}
