// Reads a trace of the real-trace corpus (../fixtures/corpus) by name.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function corpusTrace(name: string): string {
  return fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', `${name}.txt`), 'utf8');
}
