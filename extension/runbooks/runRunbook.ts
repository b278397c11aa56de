// `Vibewatch: Run Runbook…`: pick a runbook (or get one by id from an alert/incident), see
// its steps, and run them one at a time. Shell steps go to a VS Code terminal only after a
// modal confirmation showing the exact command; VS Code command steps run directly; links
// open in the browser. Nothing runs without the user picking the step.
import * as vscode from 'vscode';
import type { Runbook, RunbookStep } from '../../collector/analysis/types';
import type { CollectorClient } from '../collectorClient';
import { stepLabel } from './runbookSteps';

/** The UI the runner uses; tests replace it to drive the flow without dialogs. */
export interface RunbookUi {
  pickRunbook(runbooks: Runbook[]): Promise<Runbook | undefined>;
  /** Returns the index of the step to run next, or undefined to stop. */
  pickStep(runbook: Runbook, done: ReadonlySet<number>): Promise<number | undefined>;
  confirmShell(command: string): Promise<boolean>;
  sendToTerminal(command: string, runbook: Runbook): void;
}

export const defaultRunbookUi: RunbookUi = {
  async pickRunbook(runbooks) {
    const picked = await vscode.window.showQuickPick(
      runbooks.map((r) => ({ label: r.title, description: r.alerts.join(', '), detail: `${r.steps.length} steps — ${vscode.workspace.asRelativePath(r.file)}`, r })),
      { title: 'Run Runbook', placeHolder: 'Pick a runbook' },
    );
    return picked?.r;
  },
  async pickStep(runbook, done) {
    const items = runbook.steps.map((s, i) => {
      const l = stepLabel(s, i);
      return { ...l, description: done.has(i) ? '$(check) done' : undefined, i };
    });
    const picked = await vscode.window.showQuickPick(items, { title: `${runbook.title} — pick a step to run (Esc to finish)`, matchOnDetail: true });
    return picked?.i;
  },
  async confirmShell(command) {
    const run = 'Run in Terminal';
    return (await vscode.window.showWarningMessage('Run this shell command from the runbook?', { modal: true, detail: command }, run)) === run;
  },
  sendToTerminal(command, runbook) {
    const name = `Runbook: ${runbook.title}`;
    const term = vscode.window.terminals.find((t) => t.name === name) ?? vscode.window.createTerminal({ name });
    term.show();
    term.sendText(command, true);
  },
};

export class RunbookRunner {
  constructor(private readonly client: CollectorClient, private readonly ui: RunbookUi = defaultRunbookUi, private readonly log?: { info(m: string): void; warn(m: string): void }) {}

  /** Runs the flow; resolves with the indexes of the steps that ran. */
  async run(runbookId?: string, incidentId?: string): Promise<number[]> {
    let runbooks: Runbook[];
    try {
      runbooks = await this.client.request('runbooks', {});
    } catch (err) {
      void vscode.window.showErrorMessage(`Vibewatch: could not load runbooks: ${(err as Error).message}`);
      return [];
    }
    if (!runbooks.length) {
      void vscode.window.showInformationMessage('No runbooks found. Add Markdown files to .vibewatch/runbooks/ (front matter `alerts:`; steps as shell code blocks, VS Code commands or links).');
      return [];
    }
    const rb = (runbookId ? runbooks.find((r) => r.id === runbookId) : undefined) ?? (await this.ui.pickRunbook(runbooks));
    if (!rb) return [];
    this.log?.info(`runbook ${rb.id} opened${incidentId ? ` for incident ${incidentId}` : ''}`);
    const done = new Set<number>();
    const ran: number[] = [];
    for (;;) {
      const i = await this.ui.pickStep(rb, done);
      if (i === undefined || !rb.steps[i]) break;
      if (await this.runStep(rb, rb.steps[i])) {
        done.add(i);
        ran.push(i);
      }
    }
    return ran;
  }

  private async runStep(rb: Runbook, step: RunbookStep): Promise<boolean> {
    switch (step.kind) {
      case 'shell':
        if (!(await this.ui.confirmShell(step.command))) return false;
        this.log?.info(`runbook ${rb.id}: shell step sent to the terminal: ${step.command}`);
        this.ui.sendToTerminal(step.command, rb);
        return true;
      case 'command':
        try {
          const args = step.args === undefined ? [] : Array.isArray(step.args) ? step.args : [step.args];
          await vscode.commands.executeCommand(step.command, ...args);
          this.log?.info(`runbook ${rb.id}: ran ${step.command}`);
          return true;
        } catch (err) {
          this.log?.warn(`runbook ${rb.id}: ${step.command} failed: ${(err as Error).message}`);
          void vscode.window.showErrorMessage(`Runbook step failed: ${step.command}: ${(err as Error).message}`);
          return false;
        }
      case 'link':
        return vscode.env.openExternal(vscode.Uri.parse(step.url));
      case 'text':
        void vscode.window.showInformationMessage(step.text);
        return true;
    }
  }
}
