// The `vibewatch` diagnostic collection: error groups, slow queries / N+1 and anomalies at
// their lines (buildDiagnostics), refetched on `changed` events (debounced, one request in
// flight), moved with edits through the same line tracking as the lenses, and pruned when
// older than vibewatch.diagnostics.staleAfterMinutes (checked every minute).
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import type { CollectorClient } from '../collectorClient';
import { isUnknownMethod } from '../client/editorQueries';
import { buildDiagnostics, type DiagInputs, type DiagSpec } from './diagnosticsModel';
import type { FileSummaries } from './fileSummaries';
import { commandUri } from './hoverModel';
import { Coalescer } from '../coalescer';

export const POLL_MS = 10_000;
const EMPTY: DiagInputs = { errors: [], findings: [], anomalies: [] };

export class DiagnosticsController extends Disposable {
  /** One refresh per burst of events, edits and polls. */
  private readonly refresher = new Coalescer(() => void this.refresh());
  readonly collection = vscode.languages.createDiagnosticCollection('vibewatch');
  private inputs: DiagInputs = EMPTY;
  private readonly staleTimer: NodeJS.Timeout;
  private readonly pollTimer: NodeJS.Timeout;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private readonly unsupported = new Set<string>();
  /** Files that got diagnostics last render (so emptied files are cleared). */
  private shown = new Set<string>();

  constructor(
    private readonly client: CollectorClient,
    private readonly summaries: FileSummaries,
    private readonly staleAfterMinutes: () => number,
    private readonly log?: { warn(m: string): void },
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.register(
      this.collection,
      // A (re)started collector may answer methods the previous one did not.
      client.onDidConnect(() => {
        this.unsupported.clear();
        this.schedule(0);
      }),
      client.onChanged(() => this.schedule(250)),
      summaries.onDidChange(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vibewatch.diagnostics')) this.render();
      }),
    );
    // Analysis state also changes with time alone (a trace goes quiet and its N+1 is found,
    // an anomaly's dwell passes): refetch every 10 s as a backstop to `changed` events, and
    // re-render every minute so stale diagnostics go.
    this.pollTimer = setInterval(() => {
      if (this.client.connected) this.schedule(0);
    }, POLL_MS);
    this.staleTimer = setInterval(() => this.render(), 60_000);
    if (client.connected) this.schedule(0);
  }

  schedule(delayMs: number): void {
    this.refresher.schedule(delayMs);
  }

  /** Fetches errors, findings and anomalies, then renders. Concurrent calls coalesce. */
  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      const [errors, findings, anomalies] = await Promise.all([
        this.fetch('errors', () => this.client.request('errors', { limit: 500 })),
        this.fetch('findings', () => this.client.request('findings', {})),
        this.fetch('anomalies', async () => (await this.client.request('anomalies', {})).anomalies),
      ]);
      this.inputs = { errors: errors ?? this.inputs.errors, findings: findings ?? this.inputs.findings, anomalies: anomalies ?? this.inputs.anomalies };
      this.render();
    })().finally(() => {
      this.inFlight = undefined;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    });
    return this.inFlight;
  }

  private async fetch<T>(name: string, call: () => Promise<T>): Promise<T | undefined> {
    if (this.unsupported.has(name)) return undefined;
    try {
      return await call();
    } catch (err) {
      if (isUnknownMethod(err)) {
        this.unsupported.add(name);
        this.log?.warn(`the collector does not answer ${name} yet; those diagnostics are off`);
        return [] as unknown as T;
      }
      this.log?.warn(`${name} failed: ${(err as Error).message}`);
      return undefined; // keep the previous answer
    }
  }

  /** Rebuilds the collection from the last inputs (cheap: pure function + line map). */
  render(): void {
    const specs = buildDiagnostics(this.inputs, this.now(), this.staleAfterMinutes() * 60_000);
    const next = new Set<string>();
    for (const [file, list] of specs) {
      const uri = vscode.Uri.file(file);
      const diags = this.toDiagnostics(uri, list);
      if (diags.length === 0) continue;
      next.add(uri.toString());
      this.collection.set(uri, diags);
    }
    for (const u of this.shown) if (!next.has(u)) this.collection.delete(vscode.Uri.parse(u));
    this.shown = next;
  }

  private toDiagnostics(uri: vscode.Uri, list: DiagSpec[]): vscode.Diagnostic[] {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const map = this.summaries.lineMap(uri.fsPath);
    const out: vscode.Diagnostic[] = [];
    for (const s of list) {
      const line = map(s.line);
      if (line === undefined || (doc && line >= doc.lineCount)) continue;
      const d = new vscode.Diagnostic(lineRange(doc, line), s.message, s.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'Vibewatch';
      d.code = { value: s.code.value, target: vscode.Uri.parse(commandUri(s.code.command, s.code.args)) };
      d.relatedInformation = s.related.map((r) => {
        const rl = r.file === s.file ? map(r.line) ?? r.line : r.line;
        return new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), lineRange(r.file === s.file ? doc : undefined, rl)), r.message);
      });
      out.push(d);
    }
    return out;
  }

  override dispose(): void {
    this.refresher.dispose();
    clearInterval(this.staleTimer);
    clearInterval(this.pollTimer);
    super.dispose();
  }
}

/** The line from its first non-blank character (whole line when the document is not open). */
function lineRange(doc: vscode.TextDocument | undefined, line: number): vscode.Range {
  if (!doc || line >= doc.lineCount) return new vscode.Range(line, 0, line, 1000);
  const l = doc.lineAt(line);
  return new vscode.Range(line, l.firstNonWhitespaceCharacterIndex, line, Math.max(l.range.end.character, l.firstNonWhitespaceCharacterIndex + 1));
}
