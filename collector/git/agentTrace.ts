// Agent Trace records (https://agent-trace.dev, v0.1): JSON objects with `files[].conversations[]`
// whose `contributor.type` is ai/human/mixed/unknown and whose `ranges` are 1-based line
// ranges at `vcs.revision`. The reference implementation appends them to
// `.agent-trace/traces.jsonl`; we also read `*.json` / `*.jsonl` files in that folder.
// AI and mixed contributions become ledger entries anchored at the revision.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashRange, splitLines } from './hash';
import type { AiDiff, AiDiffFile } from './types';

export const AGENT_TRACE_DIR = '.agent-trace';

interface TraceRange { start_line: number; end_line: number; content_hash?: string; contributor?: Contributor }
interface Contributor { type: string; model_id?: string }
interface TraceRecord {
  version: string;
  id: string;
  timestamp: string;
  vcs?: { type: string; revision: string };
  tool?: { name?: string; version?: string };
  files: { path: string; conversations: { url?: string; contributor?: Contributor; ranges: TraceRange[] }[] }[];
}

export interface AgentTraceRead {
  records: TraceRecord[];
  /** Lines or files that could not be read, with the reason (reported, not fatal). */
  problems: string[];
}

/** Reads every trace record under `<root>/.agent-trace/`. A missing folder is no records. */
export async function readAgentTraces(root: string): Promise<AgentTraceRead> {
  const dir = join(root, AGENT_TRACE_DIR);
  const out: AgentTraceRead = { records: [], problems: [] };
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.jsonl?$/.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return out;
    throw err;
  }
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    const chunks = name.endsWith('.jsonl') ? text.split('\n') : [text];
    chunks.forEach((chunk, i) => {
      if (!chunk.trim()) return;
      try {
        const v: unknown = JSON.parse(chunk);
        for (const r of Array.isArray(v) ? v : [v]) {
          if (isTraceRecord(r)) out.records.push(r);
          else out.problems.push(`${name}:${i + 1}: not an agent-trace record`);
        }
      } catch (err) {
        out.problems.push(`${name}:${i + 1}: ${(err as Error).message}`);
      }
    });
  }
  return out;
}

/** Converts records to ledger entries. `textAt(rev, path)` gives the file at the record's
 *  revision (for the content hashes); without a revision, `textNow(path)` is used. */
export async function agentTraceDiffs(
  records: readonly TraceRecord[],
  textAt: (rev: string, path: string) => Promise<string | undefined>,
  textNow: (path: string) => Promise<string | undefined>,
): Promise<AiDiff[]> {
  const out: AiDiff[] = [];
  for (const rec of records) {
    const rev = rec.vcs?.type === 'git' && /^[0-9a-f]{7,64}$/i.test(rec.vcs.revision) ? rec.vcs.revision : undefined;
    const files: AiDiffFile[] = [];
    let model: string | undefined;
    for (const f of rec.files) {
      const path = f.path.replace(/\\/g, '/').replace(/^\.\//, '');
      const text = rev ? await textAt(rev, path) : await textNow(path);
      const lines = text === undefined ? [] : splitLines(text);
      const ranges = [];
      for (const conv of f.conversations) {
        for (const r of conv.ranges) {
          const who = r.contributor ?? conv.contributor;
          if (!who || (who.type !== 'ai' && who.type !== 'mixed')) continue;
          model ??= who.model_id;
          const start = Math.max(1, Math.trunc(r.start_line));
          const end = Math.max(start, Math.trunc(r.end_line));
          ranges.push({ start, end, hash: lines.length ? hashRange(lines, start, Math.min(end, lines.length)) : '' });
        }
      }
      if (ranges.length) files.push(rev ? { path, ranges: ranges.map((r) => ({ ...r })), origin: ranges } : { path, ranges });
    }
    if (!files.length) continue;
    const t = Date.parse(rec.timestamp);
    out.push({
      id: `t:${rec.id}`,
      source: 'agent-trace',
      tool: rec.tool?.name,
      model,
      files,
      commit: rev,
      timeMs: Number.isFinite(t) ? t : 0,
      confirmedBy: `agent-trace ${rec.id}`,
      state: 'confirmed',
    });
  }
  return out;
}

function isTraceRecord(v: unknown): v is TraceRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<TraceRecord>;
  return typeof r.id === 'string' && typeof r.timestamp === 'string' && Array.isArray(r.files) &&
    r.files.every((f) => typeof f?.path === 'string' && Array.isArray(f.conversations) &&
      f.conversations.every((c) => Array.isArray(c?.ranges) && c.ranges.every((x) => typeof x?.start_line === 'number' && typeof x?.end_line === 'number')));
}
