// Shared helpers of the in-host editor tests: the extension's API (with the editor features
// registered, by activate() once the lead wires them, else here), real telemetry through
// the official OpenTelemetry exporters, and polling for what the editor shows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { VibewatchApi } from '../../../extension/extension';
import type { EditorFeatures } from '../../../extension/editorFeatures';
import type { Log } from '../../../extension/log';

export const WORKSPACE = process.env.VIBEWATCH_TEST_WORKSPACE ?? '';
export const PORT = Number(process.env.VIBEWATCH_TEST_COLLECTOR_PORT);
export const ENDPOINT = `http://127.0.0.1:${PORT}`;

export type HostApi = VibewatchApi;

let cached: Promise<{ api: HostApi; editor: EditorFeatures }> | undefined;

/** The activated extension, its collector running, and the editor features. */
export function editorApi(): Promise<{ api: HostApi; editor: EditorFeatures }> {
  cached ??= (async () => {
    const ext = vscode.extensions.getExtension<HostApi>('vibewatch.vibewatch');
    if (!ext) throw new Error('vibewatch.vibewatch is not loaded');
    const api = await ext.activate();
    await api.ready;
    const editor = api.editor;
    await waitFor('the live client connects', () => editor.client.connected || undefined, 20_000);
    return { api, editor };
  })();
  return cached;
}

export function consoleLog(): Pick<Log, 'info' | 'warn' | 'error'> {
  return { info: (m) => console.log(`[vibewatch] ${m}`), warn: (m) => console.warn(`[vibewatch] ${m}`), error: (m, e) => console.error(`[vibewatch] ${m}`, e ?? '') };
}

/** Writes a source file into the test workspace (fresh file per test keeps tests independent). */
export function writeSource(rel: string, text: string): string {
  const file = path.join(WORKSPACE, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export interface SpanSpec {
  name: string;
  /** Where the span says it ran (`code.file.path` / `code.line.number`); omit to leave it to the stack. */
  file?: string;
  line?: number;
  durationMs: number;
  error?: string;
  attributes?: Attributes;
  kind?: SpanKind;
  /** Children created under this span (e.g. repeated queries). */
  children?: SpanSpec[];
  exception?: { type: string; message: string; stack: string };
}

/** Sends spans with the official OTLP/HTTP exporter; resolves once the collector acknowledged them. */
export async function sendSpans(specs: SpanSpec[], service = 'shop-api'): Promise<void> {
  const exporter = new OTLPTraceExporter({ url: `${ENDPOINT}/v1/traces` });
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('vibewatch-host-test');
  const { context, trace } = await import('@opentelemetry/api');
  const emit = (s: SpanSpec, start: number, parent?: ReturnType<typeof tracer.startSpan>) => {
    const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
    const span = tracer.startSpan(s.name, { kind: s.kind ?? SpanKind.INTERNAL, startTime: new Date(start), attributes: { ...(s.file ? { 'code.file.path': s.file, 'code.line.number': s.line ?? 1 } : {}), ...s.attributes } }, ctx);
    let t = start;
    for (const c of s.children ?? []) {
      emit(c, t, span);
      t += c.durationMs;
    }
    if (s.exception) span.recordException({ name: s.exception.type, message: s.exception.message, stack: s.exception.stack }, new Date(start + s.durationMs / 2));
    if (s.error) span.setStatus({ code: SpanStatusCode.ERROR, message: s.error });
    span.end(new Date(start + s.durationMs));
  };
  const base = Date.now() - 1000;
  for (const s of specs) emit(s, base - s.durationMs);
  await provider.forceFlush();
  await provider.shutdown();
}

/** Sends log records located at `file:line` with the official OTLP/HTTP logs exporter. */
export async function sendLogs(records: { file: string; line: number; severityText: string; severityNumber: number; body: string }[], service = 'shop-api'): Promise<void> {
  const exporter = new OTLPLogExporter({ url: `${ENDPOINT}/v1/logs` });
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': service }), processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('vibewatch-host-test');
  for (const r of records) logger.emit({ severityText: r.severityText, severityNumber: r.severityNumber, body: r.body, attributes: { 'code.file.path': r.file, 'code.line.number': r.line } });
  await provider.forceFlush();
  await provider.shutdown();
}

/** Polls `probe` until it returns a value; throws with the last seen state on timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface LensView {
  line: number;
  title: string;
  command?: string;
  args?: unknown[];
}

export async function lensesOf(uri: vscode.Uri): Promise<LensView[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return lenses
    .filter((l) => l.command && /calls?|logged|AI diff|Suspected AI/.test(l.command.title))
    .map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command!.command, args: l.command!.arguments }));
}

export function vibewatchDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Vibewatch');
}

export async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n---\n');
}
