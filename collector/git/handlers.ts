// Live protocol handlers of collector/git: `aiDiffs` (the ledger with runtime numbers and risk)
// and `aiDiffEdit` (editor capture, confirm/dismiss, manual mark/unmark, edit tracking).
// The lead merges `createGitHandlers(...)` into the server's table.
import { LiveError, type HandlerTable } from '../live/handlers';
import { AiDiffService } from './aiDiffService';
import type { Git } from './git';
import type { AiPatterns } from './patterns';
import { withRuntime, type AiDiffRuntimeSource } from './runtime';
import type { AiDiffEditResult } from './types';
import type { DurableState } from '../store/api';

/** One AiDiffService per workspace folder, sharing the collector's durable state. */
export class AiDiffServices {
  private readonly byWorkspace = new Map<string, AiDiffService>();

  constructor(
    private readonly state: DurableState,
    private readonly opts: { patterns?: AiPatterns; gitFor?: (workspace: string) => Git; onLedgerChanged?: (workspace: string) => void } = {},
  ) {}

  for(workspace: string): AiDiffService {
    const key = workspace.replace(/\\/g, '/').replace(/\/$/, '');
    let s = this.byWorkspace.get(key);
    if (!s) {
      const changed = this.opts.onLedgerChanged;
      s = new AiDiffService({ workspace: key, state: this.state, patterns: this.opts.patterns, git: this.opts.gitFor?.(key), onLedgerChanged: changed && (() => changed(key)) });
      this.byWorkspace.set(key, s);
    }
    return s;
  }
}

export interface GitHandlerDeps {
  services: AiDiffServices;
  /** Telemetry for the runtime numbers; the store (and analysis) provide it. */
  runtime?: AiDiffRuntimeSource;
}

export function createGitHandlers(deps: GitHandlerDeps): HandlerTable {
  return {
    async aiDiffs(params) {
      const ws = requireWorkspace(params);
      const result = await deps.services.for(ws).refresh();
      return deps.runtime ? withRuntime(result, deps.runtime) : result;
    },
    async aiDiffEdit(params): Promise<AiDiffEditResult> {
      const ledger = await deps.services.for(requireWorkspace(params)).ledger();
      try {
        switch (params.op) {
          case 'recordSuspected':
          case 'mark': {
            if (!validRange(params.startLine, params.endLine)) throw new LiveError('bad_request', 'startLine..endLine must be 1-based and ordered');
            const input = { file: params.file, startLine: params.startLine, endLine: params.endLine, text: params.text, tool: params.tool, model: params.model };
            return { diff: params.op === 'mark' ? await ledger.mark(input) : await ledger.recordSuspected(input) };
          }
          case 'confirm':
            return { diff: await ledger.confirm(params.id) };
          case 'dismiss':
            return { diff: await ledger.dismiss(params.id) };
          case 'unmark':
            return { touched: await ledger.unmark(params.file, params.startLine, params.endLine) };
          case 'applyEdit':
            await ledger.applyEdit(params.file, params.oldText, params.newText);
            return {};
          default:
            throw new LiveError('bad_request', `unknown op ${(params as { op?: unknown }).op}`);
        }
      } catch (err) {
        if (err instanceof Error && /^no AI diff /.test(err.message)) throw new LiveError('not_found', err.message);
        throw err;
      }
    },
  };
}

function requireWorkspace(p: { workspace?: unknown }): string {
  if (typeof p?.workspace !== 'string' || !p.workspace) throw new LiveError('bad_request', 'workspace (an absolute folder path) is required');
  return p.workspace;
}

function validRange(s: unknown, e: unknown): boolean {
  return Number.isInteger(s) && Number.isInteger(e) && (s as number) >= 1 && (e as number) >= (s as number);
}
