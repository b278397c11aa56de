// How a runbook step is shown in the quick pick. Pure.
import type { RunbookStep } from '../../collector/analysis/types';

export function stepLabel(step: RunbookStep, index: number): { label: string; detail?: string } {
  const n = `${index + 1}.`;
  switch (step.kind) {
    case 'shell':
      return { label: `${n} $(terminal) ${step.command.split('\n')[0]}`, detail: step.command.includes('\n') ? step.command : `shell (${step.lang || 'sh'}) — runs in a terminal after you confirm` };
    case 'command':
      return { label: `${n} $(run) ${step.title ?? step.command}`, detail: `VS Code command ${step.command}${step.args !== undefined ? ` ${JSON.stringify(step.args)}` : ''}` };
    case 'link':
      return { label: `${n} $(link-external) ${step.title ?? step.url}`, detail: step.url };
    case 'text':
      return { label: `${n} $(note) ${step.text.split('\n')[0]}`, detail: step.text.includes('\n') ? step.text : undefined };
  }
}
