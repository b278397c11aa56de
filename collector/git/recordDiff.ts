// `vibewatch record-diff`: turns what a coding agent just did into a ledger entry. Input is
// either a unified diff (already applied to the working copy) or an agent hook's JSON, e.g.
// Claude Code's PostToolUse payload for Edit / MultiEdit / Write:
//   { hook_event_name, cwd, tool_name, tool_input: { file_path, old_string, new_string | content | edits[] },
//     tool_response?: { structuredPatch?: [{ newStart, lines: [" ctx", "-old", "+new"] }] } }
// and the same shape without the tool_input wrapper (Cursor's afterFileEdit: file_path + edits).
import { randomUUID } from 'node:crypto';
import { hashLines, splitLines } from './hash';
import { parseUnifiedAdded } from './hunks';
import type { AiDiff, AiDiffFile, LineRange } from './types';

export interface RecordOptions {
  tool?: string;
  model?: string;
  timeMs: number;
  /** Turns a path from the input into the ledger's repository-relative form. */
  relativize: (path: string) => string;
  /** Current text of a file (after the edit), undefined when it does not exist. */
  readText: (path: string) => Promise<string | undefined>;
}

export class RecordInputError extends Error {}

export async function recordFromInput(input: string, o: RecordOptions): Promise<AiDiff | undefined> {
  const t = input.trimStart();
  if (t.startsWith('{')) {
    let payload: unknown;
    try {
      payload = JSON.parse(t);
    } catch (err) {
      throw new RecordInputError(`stdin looks like JSON but does not parse: ${(err as Error).message}`);
    }
    return recordFromHook(payload, o);
  }
  if (/^(diff |--- |\+\+\+ |@@ )/m.test(t)) return recordFromUnifiedDiff(t, o);
  throw new RecordInputError('stdin is neither a unified diff nor an agent hook JSON payload');
}

export function recordFromUnifiedDiff(diff: string, o: RecordOptions): AiDiff | undefined {
  const files: AiDiffFile[] = parseUnifiedAdded(diff).map((f) => ({ path: o.relativize(f.path), ranges: f.ranges }));
  if (!files.length) return undefined;
  return entry(files, o, 'hook: unified diff');
}

interface Edit { old_string?: string; new_string?: string; replace_all?: boolean }

export async function recordFromHook(payload: unknown, o: RecordOptions): Promise<AiDiff | undefined> {
  if (typeof payload !== 'object' || payload === null) throw new RecordInputError('hook payload is not an object');
  const p = payload as Record<string, unknown>;
  const input = (typeof p.tool_input === 'object' && p.tool_input !== null ? p.tool_input : p) as Record<string, unknown>;
  const file = str(input.file_path) ?? str(input.filePath) ?? str(input.path);
  if (!file) throw new RecordInputError('hook payload names no file (tool_input.file_path)');
  const rel = o.relativize(file);
  const tool = o.tool ?? (p.hook_event_name ? 'claude-code' : str(p.tool_name));
  const opts = { ...o, tool };
  const by = `hook: ${str(p.tool_name) ?? str(p.hook_event_name) ?? 'payload'}`;

  // Exact positions when the agent reports its patch (Claude Code's tool_response.structuredPatch).
  const resp = p.tool_response as { structuredPatch?: { newStart: number; lines: string[] }[] } | undefined;
  if (resp && Array.isArray(resp.structuredPatch) && resp.structuredPatch.length) {
    const ranges: LineRange[] = [];
    for (const h of resp.structuredPatch) ranges.push(...addedFromHunk(h.newStart, h.lines));
    return ranges.length ? entry([{ path: rel, ranges }], opts, by) : undefined;
  }

  const text = await o.readText(file);
  if (text === undefined) throw new RecordInputError(`${file} does not exist (record-diff runs after the edit)`);
  const lines = splitLines(text);
  if (typeof input.content === 'string') {
    // Write: the whole file is the agent's.
    return lines.length ? entry([{ path: rel, ranges: [{ start: 1, end: lines.length, hash: hashLines(lines) }] }], opts, by) : undefined;
  }
  const edits: Edit[] = Array.isArray(input.edits) ? (input.edits as Edit[]) : [input as Edit];
  const ranges: LineRange[] = [];
  for (const e of edits) {
    if (typeof e.new_string !== 'string' || !e.new_string.trim()) continue; // a pure deletion adds nothing
    for (const start of locate(text, e.new_string, !!e.replace_all)) {
      const n = splitLines(e.new_string).length;
      ranges.push({ start, end: start + n - 1, hash: hashLines(lines.slice(start - 1, start - 1 + n)) });
    }
  }
  return ranges.length ? entry([{ path: rel, ranges }], opts, by) : undefined;
}

/** 1-based start lines where `needle` occurs in `text` (first only unless `all`). */
export function locate(text: string, needle: string, all: boolean): number[] {
  const out: number[] = [];
  let from = 0;
  for (;;) {
    const i = text.indexOf(needle, from);
    if (i < 0) break;
    // A match starting mid-line still attributes from that line on.
    out.push(text.slice(0, i).split('\n').length + (needle.startsWith('\n') ? 1 : 0));
    if (!all) break;
    from = i + Math.max(1, needle.length);
  }
  return out;
}

function addedFromHunk(newStart: number, lines: string[]): LineRange[] {
  const out: LineRange[] = [];
  let n = newStart;
  let run: string[] = [];
  let runStart = n;
  const flush = () => {
    if (run.length) out.push({ start: runStart, end: runStart + run.length - 1, hash: hashLines(run) });
    run = [];
  };
  for (const l of lines) {
    if (l.startsWith('+')) {
      if (!run.length) runStart = n;
      run.push(l.slice(1));
      n++;
    } else if (l.startsWith('-')) continue;
    else {
      flush();
      n++;
    }
  }
  flush();
  return out;
}

function entry(files: AiDiffFile[], o: RecordOptions, by: string): AiDiff {
  return { id: `h:${randomUUID()}`, source: 'hook', ...(o.tool ? { tool: o.tool } : {}), ...(o.model ? { model: o.model } : {}), files, timeMs: o.timeMs, confirmedBy: by, state: 'confirmed' };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
