// AI-diff ledger results flattened into ranges per absolute file path (what the overlays
// look up per document). Pure (no vscode).
import * as path from 'node:path';
import type { AiDiffsResult } from '../../collector/git/types';
import type { AiRangeInfo } from './lensModel';

const normPath = (p: string) => p.replace(/\\/g, '/');

/** Flattens ledger results into ranges per absolute file path. */
export function indexRanges(results: readonly AiDiffsResult[]): Map<string, AiRangeInfo[]> {
  const out = new Map<string, AiRangeInfo[]>();
  for (const r of results) {
    const root = r.root ?? r.workspace;
    for (const d of r.diffs) {
      if (d.state === 'dismissed') continue;
      for (const f of d.files) {
        const abs = normPath(path.isAbsolute(f.path) ? f.path : path.join(root, f.path));
        let list = out.get(abs);
        if (!list) out.set(abs, (list = []));
        const units = (d.runtime?.units ?? []).filter((u) => u.path === f.path && (u.spanLine !== undefined || u.before.calls + u.after.calls > 0));
        for (const range of f.ranges) {
          // The range sits in a function the collector measured by its own spans, even when
          // none of those spans start on the range's lines (a body-only change).
          const measured = units.some((u) => u.start <= range.end && range.start <= u.end);
          list.push({ diffId: d.id, start: range.start, end: range.end, tool: d.tool, model: d.model, timeMs: d.timeMs, commit: d.commit, state: d.state, source: d.source, p95Ratio: d.runtime?.p95Ratio, beforeAfter: d.runtime?.beforeAfter, subject: d.subject, ...(measured ? { measured } : {}) });
        }
      }
    }
  }
  return out;
}
