import { readFileSync } from 'node:fs';

/** Line numbers of the `// LINE:name` markers in a fixture file. */
export function markers(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  readFileSync(file, 'utf8').split('\n').forEach((l, i) => {
    const m = /\/\/ LINE:(\w+)/.exec(l);
    if (m) out[m[1]] = i + 1;
  });
  return out;
}
