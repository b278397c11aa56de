// `vibewatch resolve`: a stack trace or an OTLP JSON export on stdin → JSON with the
// exception, its frames and, for each in-app frame, the workspace file and line (or why not).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { usageText, type CliCommand, type CliIo, type ParsedArgs } from './command';
import type { RuntimeHint } from '../source/types';
import { resolutionFields, stackReport } from '../source/report';
import { RUNTIME_HINTS } from '../source/types';
import { Locator } from '../source/locator';
import { parseStackTrace } from '../source/stackTrace';
import { codeAttributes } from '../source/attributes';
import { isOtlpJson, otlpItems } from '../source/otlpJson';


export const commands: CliCommand[] = [
  {
    name: 'resolve',
    summary: 'Resolve a stack trace or OTLP JSON export to workspace files and lines',
    options: [
      { name: 'workspace', arg: 'DIR', help: 'the workspace folder to resolve against (required)' },
      { name: 'workspace-also', arg: 'DIR2,DIR3', help: 'more workspace folders' },
      { name: 'runtime', arg: 'auto|node|browser|python|java|go|dotnet|ruby', help: 'the runtime that printed the trace (default auto)' },
      { name: 'map', arg: 'FROM=TO', help: 'a path mapping (as vibewatch.pathMappings, e.g. /app/=${workspaceFolder}/); comma-separate several' },
    ],
    operands: '< input',
    notes: '  Reads a stack trace or an OTLP JSON export (resourceSpans/resourceLogs) on stdin and prints JSON:\n' +
      '  exception, frames, and for each in-app frame the workspace file and line it resolves to, or why not.\n',
    run: runResolve,
  },
];

async function runResolve(args: ParsedArgs, io: CliIo): Promise<number> {
  const ws = args.flags.workspace;
  if (typeof ws !== 'string') { io.stderr(`--workspace DIR is required\n\nUsage: ${usageText(commands[0])}`); return 2; }
  const folders = [ws, ...(typeof args.flags['workspace-also'] === 'string' ? args.flags['workspace-also'].split(',') : [])].map((f) => path.resolve(f));
  for (const f of folders) {
    if (!fs.existsSync(f) || !fs.statSync(f).isDirectory()) { io.stderr(`not a directory: ${f}\n`); return 2; }
  }
  const runtime = (typeof args.flags.runtime === 'string' ? args.flags.runtime : 'auto') as RuntimeHint;
  if (!RUNTIME_HINTS.includes(runtime)) { io.stderr(`unknown --runtime ${runtime}; one of ${RUNTIME_HINTS.join('|')}\n`); return 2; }
  const mappings: Record<string, string> = {};
  if (typeof args.flags.map === 'string') {
    for (const pair of args.flags.map.split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) mappings[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  const locator = new Locator({ folders: () => folders, pathMappings: () => mappings });
  const input = await io.readStdin();
  let doc: unknown;
  const trimmed = input.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      doc = JSON.parse(trimmed);
    } catch (err) {
      // Not JSON after all (a trace that starts with `{`): treat it as text, but say so.
      io.stderr(`input starts with "{" but is not JSON (${err instanceof Error ? err.message : String(err)}); reading it as a stack trace\n`);
    }
  }
  const items: unknown[] = [];
  if (doc !== undefined && isOtlpJson(doc)) {
    for (const item of otlpItems(doc)) {
      const st = item.attributes['exception.stacktrace'] ?? item.attributes['code.stacktrace'];
      const entry: Record<string, unknown> = { source: item.source };
      if (typeof st === 'string') Object.assign(entry, stackReport(locator, parseStackTrace(st, runtime)));
      const code = codeAttributes(item.attributes);
      if (code.file) {
        entry.code = { ...code, stacktrace: undefined, ...resolutionFields(locator.resolveFrame({ file: code.file, line: code.line, column: code.column, function: code.function }, 'attribute')) };
      }
      items.push(entry);
    }
    if (items.length === 0) io.stderr('no exception.stacktrace or code.* attributes found in the OTLP JSON\n');
  } else {
    items.push({ source: 'stdin', ...stackReport(locator, parseStackTrace(input, runtime)) });
  }
  io.stdout(`${JSON.stringify({ workspace: folders, items }, null, 2)}\n`);
  return 0;
}
