// Spawns a Node app under vibewatch/register (from source, through tsx) and waits for the
// port it prints. Shared by the register and example-shop tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..');
export const REGISTER_SOURCE = join(REPO, 'register', 'register.ts');

export interface RunningApp {
  child: ChildProcess;
  port: number;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

export function otelEnv(collectorUrl: string): NodeJS.ProcessEnv {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
    OTEL_METRIC_EXPORT_INTERVAL: '300',
  };
}

/** Starts `node --require tsx/cjs --require register/register.ts <script>` in `cwd` and
 *  resolves once a stdout line matches `ready` (its first group is the port). */
export function spawnApp(script: string, opts: { cwd: string; env: NodeJS.ProcessEnv; ready?: RegExp; instrument?: boolean; esm?: boolean; timeoutMs?: number }): Promise<RunningApp> {
  const ready = opts.ready ?? /listening(?: on http:\/\/127\.0\.0\.1:| )(\d+)/;
  // ESM apps: `--import` (tsx's hooks first, so that the register's TypeScript source loads).
  const preload = opts.esm ? ['--import', 'tsx', '--import', REGISTER_SOURCE] : ['--require', 'tsx/cjs', '--require', REGISTER_SOURCE];
  const args = opts.instrument === false ? [script] : [...preload, script];
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: { ...process.env, NODE_PATH: join(REPO, 'node_modules'), NODE_OPTIONS: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} did not print its port in time; stderr: ${err.slice(-2000)}`));
    }, opts.timeoutMs ?? 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), stdout: () => out, stderr: () => err, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready; stderr: ${err.slice(-2000)}`));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function httpGet(port: number, path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: res.status, text: await res.text() };
}

/** Line numbers of the `// LINE:name` markers in a fixture file. */
export function lineMarkers(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  readFileSync(file, 'utf8').split('\n').forEach((l, i) => {
    const m = /\/\/ LINE:(\w+)/.exec(l);
    if (m) out[m[1]!] = i + 1;
  });
  return out;
}
