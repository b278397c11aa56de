// Places spans and logs in the registered workspace folders (collector/source): the Locator
// on each item, then trace placement (issued from, nested handler spans).
import type { PluginContext } from '../server/run';
import { Locator } from '../source/locator';
import { TracePlacement } from '../source/tracePlacement';
import type { Component } from './component';

export interface Placement extends Component {
  locator: Locator;
}

export function createPlacement({ workspaces, config }: Pick<PluginContext, 'workspaces' | 'config'>): Placement {
  // `vibewatch collect --workspace DIR[,DIR]` places telemetry without an editor attached.
  const cliFolders = typeof config.flags.workspace === 'string' ? config.flags.workspace.split(',').filter(Boolean) : [];
  if (cliFolders.length) workspaces.register(0, { folders: cliFolders, pathMappings: {} });
  const locator = new Locator(workspaces);
  // Index the workspace off the ingest path as soon as an editor registers it.
  workspaces.onChange(() => setImmediate(() => locator.prepare()));
  if (cliFolders.length) setImmediate(() => locator.prepare());
  const traces = new TracePlacement();
  return {
    name: 'placement',
    locator,
    processors: [{ name: 'source', fn: (b) => { locator.locateBatch(b); traces.place(b); } }],
  };
}
