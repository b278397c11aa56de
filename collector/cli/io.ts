// The real process I/O for the CLI.
import type { CliIo } from './command';

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    readStdin: () => new Promise((resolve, reject) => {
      let text = '';
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (c: string) => (text += c));
      process.stdin.on('end', () => resolve(text));
      process.stdin.on('error', reject);
    }),
  };
}
