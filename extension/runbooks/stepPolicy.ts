// Which runbook steps may run without asking, and what the confirmation shows. Pure (no
// vscode). A runbook is a workspace file, so a cloned repository writes it: every command step
// is confirmed with its id and arguments in full, except the few Vibewatch commands below that
// only open a view (whatever their arguments, they read and show; they change nothing).
import type { RunbookStep } from '../../collector/analysis/types';
import { commandArgsText, plainLines, plainText } from '../../collector/text/sinkText';

export const UNCONFIRMED_COMMANDS: ReadonlySet<string> = new Set([
  'vibewatch.openTraces',
  'vibewatch.openLogs',
  'vibewatch.openErrors',
  'vibewatch.openAlerts',
  'vibewatch.openIncidents',
  'vibewatch.openMetrics',
  'vibewatch.openStatus',
  'vibewatch.showOutput',
]);

/** The arguments a command step passes, as `executeCommand(id, ...args)` receives them. */
export function commandArgs(step: Extract<RunbookStep, { kind: 'command' }>): unknown[] {
  return step.args === undefined ? [] : Array.isArray(step.args) ? step.args : [step.args];
}

export function needsConfirmation(step: RunbookStep): boolean {
  if (step.kind === 'command') return !UNCONFIRMED_COMMANDS.has(step.command);
  return step.kind === 'shell' || step.kind === 'link';
}

/** The modal's message and detail for a step that needs confirmation. The command id and the
 *  arguments are shown in full (JSON), never cut: what runs is exactly what is shown. */
export function confirmation(step: RunbookStep): { message: string; detail: string; button: string } {
  switch (step.kind) {
    case 'command':
      return {
        message: 'Run this VS Code command from the runbook?',
        detail: `Command: ${step.command}\nArguments: ${commandArgsText(step.args === undefined ? undefined : commandArgs(step))}${step.title ? `\nStep title (from the runbook file): ${plainText(step.title)}` : ''}`,
        button: 'Run Command',
      };
    case 'shell':
      return { message: 'Run this shell command from the runbook?', detail: step.command, button: 'Run in Terminal' };
    case 'link':
      return { message: 'Open this link from the runbook?', detail: step.url, button: 'Open Link' };
    case 'text':
      return { message: 'Runbook note', detail: plainLines(step.text, 300), button: 'OK' };
  }
}
