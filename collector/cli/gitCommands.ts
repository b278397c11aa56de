// CLI verbs of collector/git:
//   vibewatch ai-diffs --workspace DIR [--json]   the ledger; runtime numbers and risk when
//                                                 a collector answers, else from git alone
//   vibewatch record-diff --workspace DIR [--tool T --model M] < diff-or-hook.json
// record-diff writes `<workspace>/.vibewatch/ai-diffs.jsonl`; a running collector picks
// the change up on its next refresh, so the hook never needs the collector to be up.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CLIENT_OPTIONS, type CliCommand, type CliIo, type ParsedArgs } from './command';
import { LiveClient } from '../live/client';
import { clientAddress, clientStorage } from './collectorCommands';
import { probeCollector } from '../live/probe';
import { readSecretFile } from '../live/secretFile';
import { AiDiffService, LEDGER_FILE, MemoryState } from '../git/aiDiffService';
import { Git } from '../git/git';
import { recordFromInput, RecordInputError } from '../git/recordDiff';
import { toRelative } from '../git/revisionMapper';
import type { AiDiffsResult, AiDiffView } from '../git/types';

const PROBE_TIMEOUT_MS = 400;

export const aiDiffsCommand: CliCommand = {
  name: 'ai-diffs',
  summary: 'List the AI diffs of a workspace (with runtime numbers and risk when a collector runs)',
  options: [
    { name: 'workspace', arg: 'DIR', help: 'the workspace folder (default: the current folder)' },
    { name: 'no-collector', help: 'do not look for a collector; read git and the ledger file only' },
    ...CLIENT_OPTIONS,
  ],
  async run(args, io) {
    const workspace = workspaceOf(args, io);
    let result = args.flags['no-collector'] ? undefined : await fromCollector(args, io, workspace);
    if (!result) result = await new AiDiffService({ workspace, state: new MemoryState(), git: new Git({ cwd: workspace, env: io.env }) }).refresh();
    if (result.gitError) io.stderr(`vibewatch ai-diffs: ${result.gitError}\n`);
    io.stdout(args.flags.json ? JSON.stringify(result, null, 2) + '\n' : formatText(result));
    return 0;
  },
};

export const recordDiffCommand: CliCommand = {
  name: 'record-diff',
  summary: "Record an AI edit from a unified diff or an agent hook's JSON on stdin",
  options: [
    { name: 'workspace', arg: 'DIR', help: 'the workspace folder (default: the hook payload\'s cwd, else the current folder)' },
    { name: 'tool', arg: 'T', help: 'the coding tool that made the edit (e.g. claude-code)' },
    { name: 'model', arg: 'M', help: 'the model that made the edit' },
    { name: 'json', help: 'print the recorded entries as JSON' },
  ],
  operands: '< input',
  notes: '  input: a unified diff already applied to the working copy, or an agent hook payload\n' +
    '         (Claude Code PostToolUse for Edit/MultiEdit/Write: tool_input.file_path, old_string,\n' +
    '         new_string or content). Appends to <workspace>/.vibewatch/ai-diffs.jsonl.\n' +
    '  Claude Code hook (.claude/settings.json):\n' +
    '    {"hooks":{"PostToolUse":[{"matcher":"Edit|MultiEdit|Write","hooks":[{"type":"command",\n' +
    '      "command":"npx vibewatch record-diff --tool claude-code"}]}]}}\n',
  async run(args, io) {
    const input = await io.readStdin();
    let cwd: string | undefined;
    if (input.trimStart().startsWith('{')) {
      try {
        const c = (JSON.parse(input) as { cwd?: unknown }).cwd;
        if (typeof c === 'string') cwd = c;
      } catch (err) {
        void err; // reported by recordFromInput below with a better message
      }
    }
    const workspace = typeof args.flags.workspace === 'string' ? resolve(args.flags.workspace) : cwd ?? workspaceOf(args, io);
    const service = new AiDiffService({ workspace, state: new MemoryState(), git: new Git({ cwd: workspace, env: io.env }) });
    const ledger = await service.ledger();
    const root = (await service.git.root().catch(() => workspace)).replace(/\\/g, '/');
    const str = (k: string) => (typeof args.flags[k] === 'string' ? (args.flags[k] as string) : undefined);
    try {
      // Merge what is already shared first, so this write keeps every earlier entry.
      try {
        await ledger.importJsonl(await readFile(resolve(workspace, LEDGER_FILE), 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const diff = await recordFromInput(input, {
        tool: str('tool'),
        model: str('model'),
        timeMs: Date.now(),
        relativize: (p) => toRelative(root, isAbsolute(p) ? p : resolve(workspace, p)),
        readText: (p) => readFile(isAbsolute(p) ? p : resolve(workspace, p), 'utf8').catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw err;
        }),
      });
      if (!diff) {
        io.stderr('vibewatch record-diff: nothing added (no new lines in the input)\n');
        return 0;
      }
      await ledger.add(diff);
      const file = await service.exportShared();
      const lines = diff.files.reduce((n, f) => n + f.ranges.reduce((m, r) => m + r.end - r.start + 1, 0), 0);
      io.stdout(args.flags.json ? JSON.stringify(diff) + '\n' : `recorded ${diff.id}: ${lines} line(s) in ${diff.files.length} file(s) → ${file}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof RecordInputError)) throw err;
      io.stderr(`vibewatch record-diff: ${err.message}\n`);
      return 1;
    }
  },
};

export const commands: CliCommand[] = [aiDiffsCommand, recordDiffCommand];

function workspaceOf(args: ParsedArgs, io: CliIo): string {
  const w = args.flags.workspace;
  return resolve(typeof w === 'string' ? w : io.env.PWD ?? process.cwd());
}

/** The collector's answer, or undefined (with a note) when none runs or it fails. */
async function fromCollector(args: ParsedArgs, io: CliIo, workspace: string): Promise<AiDiffsResult | undefined> {
  const address = clientAddress(args);
  if (!address) {
    io.stderr('vibewatch ai-diffs: --port must be an integer 1..65535; reading git alone\n');
    return undefined;
  }
  const { host, port } = address;
  // Only a collector proving it holds the secret of the storage folder gets the workspace path.
  const read = readSecretFile(clientStorage(args, io));
  if ('error' in read) return undefined;
  const probe = await probeCollector(host, port, PROBE_TIMEOUT_MS, [read.secret]);
  if (probe.kind === 'foreign' && probe.detail.includes('cannot prove')) io.stderr(`vibewatch ai-diffs: ${host}:${port} ${probe.detail}; reading git alone\n`);
  if (probe.kind !== 'vibewatch') return undefined;
  const apiKey = io.env.VIBEWATCH_API_KEY || undefined;
  const client = new LiveClient({ host, port, apiKey, secret: read.secret, connectTimeoutMs: 2000, requestTimeoutMs: 30_000 });
  try {
    await client.connect();
    return await client.request('aiDiffs', { workspace });
  } catch (err) {
    io.stderr(`vibewatch ai-diffs: the collector at ${host}:${port} did not answer (${(err as Error).message}); reading git alone\n`);
    return undefined;
  } finally {
    client.dispose();
  }
}

export function formatText(r: AiDiffsResult): string {
  const head = `${r.diffs.length} AI diff(s) in ${r.root ?? r.workspace}${r.head ? ` at ${r.head.slice(0, 7)}` : ''} (from ${r.from})\n`;
  return head + r.diffs.map(formatDiff).join('');
}

function formatDiff(d: AiDiffView): string {
  const who = [d.tool, d.model].filter(Boolean).join(' / ') || d.source;
  const where = d.files
    .map((f) => `${f.path}:${f.ranges.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(',') || '(removed)'}`)
    .join('  ');
  const risk = d.risk ? `  risk ${d.risk.score}: ${d.risk.reasons.join('; ')}` : '';
  const commit = d.commit ? `${d.commit.slice(0, 7)} ` : '';
  // The same sentences the lens, hover and AI Diffs view show: one per measured unit.
  const units = d.runtime?.units?.length ? d.runtime.units.map((u) => `\n    ${u.path}:${u.start}-${u.end} ${u.sentence}`).join('') : d.runtime?.beforeAfter ? `\n    ${d.runtime.beforeAfter}` : '';
  return `- [${d.state}] ${commit}${who}${d.subject ? ` "${d.subject}"` : ''}\n    ${where}${units}${risk ? '\n  ' + risk : ''}\n`;
}
