// Benchmark: parsing 10,000 frames of mixed runtimes (the real-trace fixtures, repeated),
// against a ceiling measured in the same run: splitting the same text into lines, which any
// parser has to do at least. Not a timed test; `npm run bench` prints it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { parseStackTrace } from '../collector/source/stackTrace';
import { Locator } from '../collector/source/locator';
import { emptyBatch, SpanKind, StatusCode, type Span } from '../collector/model/types';

const TARGET_FRAMES = 10_000;

function fixturesDir(): string {
  // Built to dist/bench/index.js by scripts/build.mjs, or run from source with tsx.
  for (const base of [__dirname, path.join(__dirname, '..'), path.join(__dirname, '..', '..'), process.cwd()]) {
    const dir = path.join(base, 'test', 'unit', 'collector', 'source', 'fixtures');
    if (fs.existsSync(dir)) return dir;
  }
  throw new Error('stack-trace fixtures not found (test/unit/collector/source/fixtures)');
}

export async function benchSource(): Promise<object> {
  const dir = fixturesDir();
  const traces = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  const perRound = traces.reduce((n, t) => n + parseStackTrace(t).frames.length, 0);
  const rounds = Math.ceil(TARGET_FRAMES / Math.max(1, perRound));
  const inputs: string[] = [];
  for (let r = 0; r < rounds; r++) inputs.push(...traces);

  // Warm up both paths, then take the median of three runs: the machine is shared and JIT
  // tiers change during the first passes.
  for (const t of inputs) { parseStackTrace(t); t.split('\n'); }
  const parseRuns: number[] = [];
  const splitRuns: number[] = [];
  let frames = 0;
  let lines = 0;
  for (let run = 0; run < 3; run++) {
    let t0 = process.hrtime.bigint();
    frames = 0;
    for (const t of inputs) frames += parseStackTrace(t).frames.length;
    parseRuns.push(Number(process.hrtime.bigint() - t0) / 1e6);
    t0 = process.hrtime.bigint();
    lines = 0;
    for (const t of inputs) lines += t.split('\n').length;
    splitRuns.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const parseMs = median(parseRuns);
  const splitMs = median(splitRuns);

  const locate = benchLocate();

  return {
    name: 'source: parse stack traces (mixed runtimes)',
    traces: inputs.length,
    frames,
    lines,
    parseMs: Math.round(parseMs * 10) / 10,
    framesPerSec: Math.round(frames / (parseMs / 1000)),
    ceilingSplitLinesMs: Math.round(splitMs * 100) / 100,
    slowerThanCeiling: Math.round((parseMs / Math.max(splitMs, 0.001)) * 10) / 10,
    locate,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Locator.locateBatch over 10,000 spans (code.* attributes, exception stacks, db statements, routes)
 *  against a generated 2,000-file workspace; first batch includes the one-off index builds. */
function benchLocate(): object {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vw-bench-source-'));
  try {
    for (let i = 0; i < 2000; i++) {
      const dir = path.join(root, 'src', `mod${i % 50}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `file${i}.ts`), `export const q${i} = 'SELECT * FROM t${i} WHERE id = $1';\nrouter.get('/r${i}/:id', h);\n`);
    }
    const locator = new Locator({ folders: () => [root], pathMappings: () => ({}) });
    const resource = { attributes: {}, serviceName: 'bench' };
    const mk = (i: number): Span => {
      const n = i % 2000;
      const base: Span = { traceId: '0'.repeat(32), spanId: '1'.repeat(16), name: 's', kind: SpanKind.Internal, startNs: 0n, endNs: 1n, status: { code: StatusCode.Unset }, attributes: {}, events: [], links: [], resource, scope: { name: 'b' } };
      switch (i % 4) {
        case 0: base.attributes = { 'code.file.path': `/app/src/mod${n % 50}/file${n}.ts`, 'code.line.number': 1 }; break;
        case 1: base.events = [{ name: 'exception', timeNs: 0n, attributes: { 'exception.stacktrace': `Error: x\n    at f (/app/node_modules/x/i.js:1:1)\n    at g (/app/src/mod${n % 50}/file${n}.ts:2:3)` } }]; break;
        case 2: base.kind = SpanKind.Client; base.attributes = { 'db.statement': `select * from t${n} where id = ?` }; break;
        default: base.kind = SpanKind.Server; base.attributes = { 'http.route': `/r${n}/{id}` };
      }
      return base;
    };
    const batches = Array.from({ length: 10 }, (_, b) => { const batch = emptyBatch(); for (let i = 0; i < 1000; i++) batch.spans.push(mk(b * 1000 + i)); return batch; });
    const t0 = process.hrtime.bigint();
    locator.locateBatch(batches[0]);
    const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint();
    for (const b of batches.slice(1)) locator.locateBatch(b);
    const restMs = Number(process.hrtime.bigint() - t1) / 1e6;
    return {
      spans: 10_000,
      workspaceFiles: 2000,
      firstBatchMs: Math.round(firstMs * 10) / 10,
      spansPerSecAfterIndex: Math.round(9000 / (restMs / 1000)),
      located: locator.stats.located,
      unplaced: locator.stats.unplaced,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
