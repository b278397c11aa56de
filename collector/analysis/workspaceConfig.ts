// Reads a workspace's `.vibewatch/` configuration for the analysis: `alerts.json`,
// `status.json` and `runbooks/*.md`. Missing files are normal; malformed ones are reported
// as errors (shown by `alertRules`), never thrown.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AlertRule } from './alerts/types';
import type { Runbook } from './runbooks/types';
import type { StatusComponentConfig } from './status/types';
import { mergeRules } from './alerts/alertRules';
import { loadRunbooks } from './runbooks/runbooks';
import { validateStatusConfig } from './status/status';

export interface WorkspaceConfig {
  rules: AlertRule[];
  components?: StatusComponentConfig[];
  runbooks: Runbook[];
  errors: string[];
}

async function readJson(file: string, errors: string[]): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') errors.push(`${file}: ${(err as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    errors.push(`${file}: not valid JSON (${(err as Error).message})`);
    return undefined;
  }
}

/** `settingsRules` is the `rules` setting: an array of rules or `{ rules, defaults }`. */
export async function loadWorkspaceConfig(folders: string[], settingsRules: unknown): Promise<WorkspaceConfig> {
  const errors: string[] = [];
  const sources: Parameters<typeof mergeRules>[0] = [];
  if (settingsRules !== undefined) sources.push({ origin: 'settings', name: 'settings', content: settingsRules });
  let components: StatusComponentConfig[] | undefined;
  for (const folder of folders) {
    const dir = path.join(folder, '.vibewatch');
    const alertsFile = path.join(dir, 'alerts.json');
    const alerts = await readJson(alertsFile, errors);
    if (alerts !== undefined) sources.push({ origin: 'file', name: alertsFile, content: alerts });
    const status = await readJson(path.join(dir, 'status.json'), errors);
    if (status !== undefined) {
      const v = validateStatusConfig(status);
      errors.push(...v.errors.map((e) => `${path.join(dir, e)}`));
      components = [...(components ?? []), ...v.components];
    }
  }
  const merged = mergeRules(sources);
  errors.push(...merged.errors);
  const rb = await loadRunbooks(folders.map((f) => path.join(f, '.vibewatch', 'runbooks')));
  errors.push(...rb.errors);
  return { rules: merged.rules, components, runbooks: rb.runbooks, errors };
}
