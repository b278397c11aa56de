// Benchmark: parsing 10,000 frames of mixed runtimes (the real-trace fixtures, repeated),
// against a ceiling measured in the same run: splitting the same text into lines, which any
// parser has to do at least. Not a timed test; `npm run bench` prints it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseStackTrace } from '../collector/source/stackTrace';

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

  // Warm up both paths once so JIT does not favour the second measurement.
  for (const t of traces) { parseStackTrace(t); t.split('\n'); }

  let t0 = process.hrtime.bigint();
  let frames = 0;
  for (const t of inputs) frames += parseStackTrace(t).frames.length;
  const parseMs = Number(process.hrtime.bigint() - t0) / 1e6;

  t0 = process.hrtime.bigint();
  let lines = 0;
  for (const t of inputs) lines += t.split('\n').length;
  const splitMs = Number(process.hrtime.bigint() - t0) / 1e6;

  return {
    name: 'source: parse stack traces (mixed runtimes)',
    traces: inputs.length,
    frames,
    lines,
    parseMs: Math.round(parseMs * 10) / 10,
    framesPerSec: Math.round(frames / (parseMs / 1000)),
    ceilingSplitLinesMs: Math.round(splitMs * 100) / 100,
    slowerThanCeiling: Math.round((parseMs / Math.max(splitMs, 0.001)) * 10) / 10,
  };
}
