// The workspace configuration the features read (alert rules, status components, runbooks),
// current as of the last reload. The scheduler reloads it at start, when the workspace folders
// change and every `configReloadMs` (edits to `.vibewatch/` are picked up without a watcher).
import type { AlertRule } from './alerts/types';
import { mergeRules } from './alerts/alertRules';
import type { Runbook } from './runbooks/types';
import type { StatusComponentConfig } from './status/types';
import type { WorkspaceConfig } from './workspaceConfig';
import { loadWorkspaceConfig } from './workspaceConfig';

export class AnalysisConfig implements WorkspaceConfig {
  rules: AlertRule[];
  components?: StatusComponentConfig[];
  runbooks: Runbook[] = [];
  /** What was wrong in settings, alerts.json, status.json or runbooks. */
  errors: string[];

  /** `settingsRules`: the `rules` setting. Its rules (and the defaults) hold before any
   *  workspace config is read. */
  constructor(private readonly settingsRules: unknown) {
    const m = mergeRules(settingsRules !== undefined ? [{ origin: 'settings', name: 'settings', content: settingsRules }] : []);
    this.rules = m.rules;
    this.errors = m.errors;
  }

  /** Reads the folders' `.vibewatch/` again; resolves with the errors found. */
  async reload(folders: string[]): Promise<string[]> {
    const c = await loadWorkspaceConfig(folders, this.settingsRules);
    this.rules = c.rules;
    this.components = c.components;
    this.runbooks = c.runbooks;
    this.errors = c.errors;
    return c.errors;
  }
}
