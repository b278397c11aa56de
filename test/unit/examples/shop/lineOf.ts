// Lines of the shop's files found by their text, so the tests follow the example's edits.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';

/** The 1-based line of the only line of `file` that contains `text`. */
export function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes(text));
  assert.ok(at >= 0 && lines.findIndex((l, i) => i > at && l.includes(text)) < 0, `${text} occurs once in ${file}`);
  return at + 1;
}
