// Spawns the collector process from source (node + tsx) and reads its JSON lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '../../../..');

export interface Spawned {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves with the first line whose event is one of `events`. */
  waitFor(events: string[], timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** `entry` is collector/process/main.ts (default) or collector/cli/main.ts; `ipc` gives the child a parent channel. */
export function spawnCollector(args: string[], opts: { env?: NodeJS.ProcessEnv; entry?: string; ipc?: boolean } = {}): Spawned {
  // Tests pick free ports: the gRPC receiver (default 4317) is off unless a test asks for it.
  const grpc = args.includes('--grpc-port') ? [] : ['--grpc-port', '0'];
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, opts.entry ?? 'collector/process/main.ts'), ...args, ...grpc], {
    cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { events: string[]; resolve: (l: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text);
    } catch (err) {
      line = { event: 'non-json', text, error: (err as Error).message };
    }
    lines.push(line);
    for (const w of [...waiters]) if (w.events.includes(String(line.event))) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child, lines, exited,
    waitFor(events, timeoutMs = 20_000) {
      const seen = lines.find((l) => events.includes(String(l.event)));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${events.join('/')} line within ${timeoutMs} ms; lines: ${JSON.stringify(lines)} stderr: ${stderr}`)), timeoutMs);
        waiters.push({ events, resolve: (l) => { clearTimeout(t); resolve(l); } });
        void exited.then(() => setTimeout(() => reject(new Error(`process exited before ${events.join('/')}; lines: ${JSON.stringify(lines)} stderr: ${stderr}`)), 50));
      });
    },
  };
}
