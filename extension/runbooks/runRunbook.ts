// `Vibewatch: Run Runbook…`: pick a runbook (or get one by id from an alert/incident), see
// its steps, and run them one at a time. Runbooks are workspace files: shell steps, link
// steps and every command step outside a small allow-list (stepPolicy.ts) run only after a
// modal confirmation showing exactly what runs; text steps are shown as plain text. Nothing
// runs without the user picking the step, and nothing at all in a restricted (untrusted)
// workspace.
import * as vscode from 'vscode';
import type { Runbook, RunbookStep } from '../../collector/analysis/types';
import type { CollectorClient } from '../collectorClient';
import { stepLabel } from './runbookSteps';
import { commandArgs, confirmation, needsConfirmation } from './stepPolicy';
import { labelText, notificationText, plainText } from '../../collector/text/sinkText';

/** The UI the runner uses; tests replace it to drive the flow without dialogs. */
export interface RunbookUi {
  pickRunbook(runbooks: Runbook[]): Promise<Runbook | undefined>;
  /** Returns the index of the step to run next, or undefined to stop. */
  pickStep(runbook: Runbook, done: ReadonlySet<number>): Promise<number | undefined>;
  /** Modal confirmation of a step (see stepPolicy.confirmation); true to run it. */
  confirm(step: RunbookStep): Promise<boolean>;
  sendToTerminal(command: string, runbook: Runbook): void;
  /** Shows a text step (already plain text). */
  showText(text: string): void;
  /** Whether the workspace is trusted (runbooks do nothing in a restricted workspace). */
  isTrusted(): boolean;
}

export const defaultRunbookUi: RunbookUi = {
  async pickRunbook(runbooks) {
    const picked = await vscode.window.showQuickPick(
      runbooks.map((r) => ({ label: labelText(r.title), description: labelText(r.alerts.join(', ')), detail: `${r.steps.length} steps — ${labelText(vscode.workspace.asRelativePath(r.file), 300)}`, r })),
      { title: 'Run Runbook', placeHolder: 'Pick a runbook' },
    );
    return picked?.r;
  },
  async pickStep(runbook, done) {
    const items = runbook.steps.map((s, i) => {
      const l = stepLabel(s, i);
      return { ...l, description: done.has(i) ? '$(check) done' : undefined, i };
    });
    const picked = await vscode.window.showQuickPick(items, { title: `${plainText(runbook.title, 80)} — pick a step to run (Esc to finish)`, matchOnDetail: true });
    return picked?.i;
  },
  async confirm(step) {
    const c = confirmation(step);
    return (await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, c.button)) === c.button;
  },
  sendToTerminal(command, runbook) {
    // Only a shell step of a runbook file, after confirmation, reaches a terminal; telemetry
    // never does (the terminal name is cut and cleaned, the command is what the user saw).
    const name = `Runbook: ${plainText(runbook.title, 60)}`;
    const term = vscode.window.terminals.find((t) => t.name === name) ?? vscode.window.createTerminal({ name });
    term.show();
    term.sendText(command, true);
  },
  showText(text) {
    void vscode.window.showInformationMessage(text);
  },
  isTrusted: () => vscode.workspace.isTrusted,
};

export class RunbookRunner {
  constructor(private readonly client: CollectorClient, private readonly ui: RunbookUi = defaultRunbookUi, private readonly log?: { info(m: string): void; warn(m: string): void }) {}

  /** Runs the flow; resolves with the indexes of the steps that ran. */
  async run(runbookId?: string, incidentId?: string): Promise<number[]> {
    if (!this.ui.isTrusted()) {
      void vscode.window.showWarningMessage('Vibewatch: runbooks are disabled in a restricted workspace. Trust the workspace to run them.');
      return [];
    }
    let runbooks: Runbook[];
    try {
      runbooks = await this.client.request('runbooks', {});
    } catch (err) {
      void vscode.window.showErrorMessage(`Vibewatch: could not load runbooks: ${notificationText((err as Error).message)}`);
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
    if (needsConfirmation(step) && !(await this.ui.confirm(step))) return false;
    switch (step.kind) {
      case 'shell':
        this.log?.info(`runbook ${rb.id}: shell step sent to the terminal: ${step.command}`);
        this.ui.sendToTerminal(step.command, rb);
        return true;
      case 'command':
        try {
          await vscode.commands.executeCommand(step.command, ...commandArgs(step));
          this.log?.info(`runbook ${rb.id}: ran ${step.command}`);
          return true;
        } catch (err) {
          this.log?.warn(`runbook ${rb.id}: ${step.command} failed: ${(err as Error).message}`);
          void vscode.window.showErrorMessage(`Runbook step failed: ${notificationText(step.command, 80)}: ${notificationText((err as Error).message)}`);
          return false;
        }
      case 'link':
        return vscode.env.openExternal(vscode.Uri.parse(step.url));
      case 'text':
        this.ui.showText(notificationText(step.text, 500));
        return true;
    }
  }
}
