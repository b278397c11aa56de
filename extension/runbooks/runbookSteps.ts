// How a runbook step is shown in the quick pick. Pure. Runbook text is workspace input: every
// label goes through the sink escaping (one line, no codicons from the file); the icon of the
// step's kind is ours.
import type { RunbookStep } from '../../collector/analysis/types';
import { commandArgsText, labelText } from '../../collector/text/sinkText';
import { needsConfirmation } from './stepPolicy';

export function stepLabel(step: RunbookStep, index: number): { label: string; detail?: string } {
  const n = `${index + 1}.`;
  switch (step.kind) {
    case 'shell':
      return { label: `${n} $(terminal) ${labelText(step.command.split('\n')[0])}`, detail: `shell (${labelText(step.lang || 'sh', 20)}) — runs in a terminal after you confirm: ${labelText(step.command, 500)}` };
    case 'command':
      return {
        label: `${n} $(run) ${labelText(step.title ?? step.command)}`,
        detail: `VS Code command ${labelText(step.command, 120)} ${labelText(step.args === undefined ? '' : commandArgsText(step.args), 300)}${needsConfirmation(step) ? ' — runs after you confirm' : ''}`,
      };
    case 'link':
      return { label: `${n} $(link-external) ${labelText(step.title ?? step.url)}`, detail: labelText(step.url, 500) };
    case 'text':
      return { label: `${n} $(note) ${labelText(step.text.split('\n')[0])}`, detail: step.text.includes('\n') ? labelText(step.text, 500) : undefined };
  }
}
