// The collector's layering, checked on its import graph (type-only imports included: a type
// cycle is still a design cycle). Rules:
//  1. model/ imports nothing of the collector outside model/ (the shared vocabulary).
//  2. store/ and timeseries/ import nothing of live/, server/, process/ or cli/ (storage does
//     not know the wire or the process).
//  3. Only cli/ and process/ (the entry points) import cli/.
//  4. No file imports itself through others (no cycles).
//  5. In analysis/, a feature folder (errors/, alerts/, …) never imports the scheduler's files
//     at the top of analysis/ other than feature.ts, config.ts and settings.ts (the scheduler
//     composes the features, not the reverse), and analysis/shared/ imports no feature folder.
// `checkLayering(collectorDir)` returns one line per finding; `npm run lint` runs it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|\brequire\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (/\.ts$/.test(name)) out.push(full);
  }
  return out;
}

function target(from, spec) {
  const p = resolve(dirname(from), spec);
  for (const c of [p, `${p}.ts`, join(p, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

/** The files at the top of analysis/ a feature folder may import. */
const ANALYSIS_KERNEL = new Set(['feature.ts', 'config.ts', 'settings.ts']);

export function importGraph(collectorDir) {
  const graph = new Map();
  for (const f of walk(collectorDir)) {
    const text = readFileSync(f, 'utf8');
    const out = new Set();
    for (const m of text.matchAll(IMPORT)) {
      const t = target(f, m[1] ?? m[2] ?? m[3]);
      if (t && t.startsWith(collectorDir)) out.add(t);
    }
    graph.set(f, out);
  }
  return graph;
}

export function checkLayering(collectorDir) {
  const graph = importGraph(collectorDir);
  const folderOf = (f) => {
    const parts = relative(collectorDir, f).split('/');
    return parts.length > 1 ? parts[0] : '.';
  };
  const findings = [];
  const rel = (f) => relative(dirname(collectorDir), f);
  for (const [f, deps] of graph) {
    const from = folderOf(f);
    for (const d of deps) {
      const to = folderOf(d);
      if (from === to) continue;
      if (from === 'model') findings.push(`${rel(f)} imports ${rel(d)}: model/ imports nothing outside model/`);
      if ((from === 'store' || from === 'timeseries') && ['live', 'server', 'process', 'cli'].includes(to)) findings.push(`${rel(f)} imports ${rel(d)}: ${from}/ must not know ${to}/`);
      if (to === 'cli' && from !== 'process') findings.push(`${rel(f)} imports ${rel(d)}: only cli/ and process/ import cli/`);
    }
  }
  for (const [f, deps] of graph) {
    const [area, sub, ...rest] = relative(collectorDir, f).split('/');
    if (area !== 'analysis' || !rest.length) continue;
    for (const d of deps) {
      const [dArea, dSub, ...dRest] = relative(collectorDir, d).split('/');
      if (dArea !== 'analysis') continue;
      if (!dRest.length && !ANALYSIS_KERNEL.has(dSub)) findings.push(`${rel(f)} imports ${rel(d)}: an analysis feature does not import the scheduler (only feature.ts, config.ts, settings.ts)`);
      if (sub === 'shared' && dRest.length && dSub !== 'shared') findings.push(`${rel(f)} imports ${rel(d)}: analysis/shared/ imports no feature`);
    }
  }
  for (const cycle of cycles(graph)) findings.push(`import cycle: ${cycle.map(rel).join(' → ')}`);
  return findings;
}

/** Strongly connected components with more than one file (Tarjan), each as a path. */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const onStack = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}
