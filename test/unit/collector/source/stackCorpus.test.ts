// The corpus of real traces under fixtures/corpus: each `NAME.txt` is a trace copied from a public
// bug report (`NAME.source` says which), `NAME.expected.json` the exceptions a reader sees in it,
// primary first and then its causes in printed order, with every frame's file, line, function
// and whether it is the app's own code (as Sentry's SDKs decide it without a workspace).
// The test reports how much of that the parser gets right and holds it to issue 18's goals.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseStackTrace } from '../../../../collector/source/stackTrace';
import type { ParsedException } from '../../../../collector/source/types';

const CORPUS = path.join(__dirname, 'fixtures', 'corpus');

interface ExpectedFrame { file: string | null; line: number | null; function: string | null; inApp: boolean }
interface Expected { exceptions: { type: string | null; frames: ExpectedFrame[] }[] }

interface Score { frames: number; exact: number; inAppRight: number; exceptions: number; typesRight: number; misses: string[] }

function scoreOne(name: string, text: string, expected: Expected, s: Score): void {
  const parsed = parseStackTrace(text);
  const got: ParsedException[] = [parsed, ...(parsed.causes ?? [])];
  const n = Math.max(got.length, expected.exceptions.length);
  for (let i = 0; i < n; i++) {
    const e = expected.exceptions[i];
    const g = got[i];
    s.exceptions++;
    if (e && g && (g.type ?? null) === e.type) s.typesRight++;
    else s.misses.push(`${name} exception ${i}: type ${g?.type} ≠ ${e?.type}`);
    const ef = e?.frames ?? [];
    const gf = g?.frames ?? [];
    for (let k = 0; k < Math.max(ef.length, gf.length); k++) {
      s.frames++;
      const x = ef[k];
      const y = gf[k];
      if (!x || !y) { s.misses.push(`${name} exception ${i} frame ${k}: ${x ? 'missing' : 'extra'}`); continue; }
      if ((y.file ?? null) === x.file && (y.line ?? null) === x.line && (y.function ?? null) === x.function) s.exact++;
      else s.misses.push(`${name} exception ${i} frame ${k}: ${y.file}:${y.line} ${y.function} ≠ ${x.file}:${x.line} ${x.function}`);
      if (y.inApp === x.inApp) s.inAppRight++;
      else s.misses.push(`${name} exception ${i} frame ${k}: inApp ${y.inApp} ≠ ${x.inApp}`);
    }
  }
}

const names = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();

describe('stack-trace corpus of real runtimes (issue 18 goals)', () => {
  const score: Score = { frames: 0, exact: 0, inAppRight: 0, exceptions: 0, typesRight: 0, misses: [] };
  before(() => {
    for (const name of names) {
      const expected = JSON.parse(fs.readFileSync(path.join(CORPUS, `${name}.expected.json`), 'utf8')) as Expected;
      scoreOne(name, fs.readFileSync(path.join(CORPUS, `${name}.txt`), 'utf8'), expected, score);
    }
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
    console.log(`      corpus: ${names.length} traces, ${score.frames} frames, ${score.exceptions} exceptions; ` +
      `frames exact ${pct(score.exact, score.frames)}, in-app right ${pct(score.inAppRight, score.frames)}, types right ${pct(score.typesRight, score.exceptions)}`);
    for (const m of score.misses) console.log(`        miss: ${m}`);
  });

  it('holds at least 40 real traces, each with its source and expectation', () => {
    assert.ok(names.length >= 40, `${names.length} traces`);
    for (const name of names) {
      assert.ok(fs.readFileSync(path.join(CORPUS, `${name}.source`), 'utf8').trim(), `${name}.source`);
      assert.ok(fs.existsSync(path.join(CORPUS, `${name}.expected.json`)), `${name}.expected.json`);
    }
  });

  it('covers Node, browsers (Chrome, Firefox, Safari), Python, Java, Go, .NET and Ruby', () => {
    for (const prefix of ['node', 'chrome', 'firefox', 'safari', 'python', 'java', 'go', 'dotnet', 'ruby']) {
      assert.ok(names.some((n) => n.startsWith(`${prefix}-`)), prefix);
    }
  });

  it('gets at least 97 % of frames exact (file, line, function)', () => {
    assert.ok(score.exact / score.frames >= 0.97, `${score.exact} of ${score.frames}`);
  });

  it('decides in-app right for at least 95 % of frames', () => {
    assert.ok(score.inAppRight / score.frames >= 0.95, `${score.inAppRight} of ${score.frames}`);
  });

  it('gets at least 97 % of exception types right, chains included', () => {
    assert.ok(score.typesRight / score.exceptions >= 0.97, `${score.typesRight} of ${score.exceptions}`);
  });
});
