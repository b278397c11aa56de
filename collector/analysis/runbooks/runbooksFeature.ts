// Runbooks as a feature: the workspace's runbooks (config), by the alert rules they serve.
// Keeps no state.
import type { AnalysisFeature } from '../feature';
import type { AnalysisConfig } from '../config';
import { runbookServes } from './runbookMatch';
import type { Runbook } from './types';

export class RunbooksFeature implements AnalysisFeature {
  readonly name = 'runbooks';
  readonly topics = [] as const;

  constructor(private readonly config: AnalysisConfig) {}

  /** All runbooks, or those serving `ruleId`. */
  list(ruleId?: string): Runbook[] {
    return ruleId ? this.config.runbooks.filter((rb) => runbookServes(rb, ruleId)) : this.config.runbooks;
  }

  /** The ids of the runbooks serving any of `ruleIds` (an incident's runbooks). */
  idsFor(ruleIds: string[]): string[] {
    return this.config.runbooks.filter((rb) => ruleIds.some((id) => runbookServes(rb, id))).map((rb) => rb.id);
  }

  reset(): void {}
}
