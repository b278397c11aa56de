// Adapts the collector's live client to what the panels need (PanelDataClient): requests
// go through under the same method names; `changed` events become a list of change topics;
// "touches an AI diff" files come from the live `aiDiffs`
// method for each open workspace folder (paths made absolute, as spans' locations are).
import type { Events, Method, Params, Result } from '../../collector/live/protocol';
import type { Disposable, PanelDataClient } from './channel';

/** The part of collector/live/client.ts LiveClient used here. */
export interface LiveLike {
  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>;
  on(event: 'changed', cb: (data: Events['changed']) => void): () => void;
}

export function panelClientFromLive(live: LiveLike, workspaceFolders: () => string[]): PanelDataClient {
  return {
    request: (method, params) => live.request(method as Method, params as never) as never,
    onChanged(cb): Disposable {
      // A resync names no topics: panels read an empty list as "refetch everything".
      const off = live.on('changed', (d) => cb(d.resync ? [] : d.topics));
      return { dispose: off };
    },
    async aiDiffFiles() {
      const files = new Set<string>();
      for (const workspace of workspaceFolders()) {
        const r = await live.request('aiDiffs', { workspace });
        const root = (r.root ?? workspace).replace(/\\/g, '/').replace(/\/$/, '');
        for (const d of r.diffs) for (const f of d.files) files.add(`${root}/${f.path}`);
      }
      return [...files];
    },
  };
}
