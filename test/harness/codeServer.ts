// Starts code-server (a real VS Code: workbench in the browser, Node extension host on the
// server) on 127.0.0.1 with every folder it writes to inside one temp directory, so a run
// writes nothing into $HOME. See ../../../shared/REAL-VSCODE.md for why each flag is here.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFreePort } from '../../collector/live/probe';
import { loadTools } from './tools';

export interface CodeServerOptions {
  /** Extra `--vscode-option` values (without the prefix). */
  vscodeOptions?: string[];
  /** Extensions to install (.vsix paths) before starting. */
  installVsix?: string[];
  /** User settings written to the user-data-dir. */
  userSettings?: Record<string, unknown>;
  /** Keep the temp folder (for the demo, where the user keeps using it). */
  keepDir?: boolean;
  port?: number;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface CodeServer {
  url: string;
  port: number;
  dir: string;
  pid: number;
  /** URL that opens a folder, optionally with a test payload (extension development). */
  /** Workbench URL opening `folder`, or the workspace file when it ends in `.code-workspace`. */
  urlFor(folder: string, payload?: [string, string][]): string;
  dispose(): Promise<void>;
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const tools = loadTools();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-code-server-'));
  const dirs = {
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    config: path.join(dir, 'config.yaml'),
    xdgConfig: path.join(dir, 'xdg-config'),
    xdgData: path.join(dir, 'xdg-data'),
    xdgRuntime: path.join(dir, 'xdg-runtime'),
    tmp: path.join(dir, 'tmp'),
  };
  for (const d of [dirs.userData, dirs.extensions, dirs.xdgConfig, dirs.xdgData, dirs.xdgRuntime, dirs.tmp]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  fs.writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  const userSettings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    ...opts.userSettings,
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    PATH: `${path.dirname(tools.node24)}:${process.env.PATH ?? ''}`,
    HOME: dir,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_RUNTIME_DIR: dirs.xdgRuntime,
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    TMPDIR: dirs.tmp,
  };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI;

  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', dirs.config];
  for (const vsix of opts.installVsix ?? []) {
    await runToEnd(tools.codeServer, [...common, '--install-extension', vsix], env);
  }

  const port = opts.port ?? (await findFreePort());
  const args = [
    ...common,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--vscode-option', 'enable-smoke-test-driver',
    ...(opts.vscodeOptions ?? []).flatMap((o) => ['--vscode-option', o]),
  ];
  // detached: its own process group, so stopping it also ends the extension host and any
  // collector the extension started, and nothing is left behind.
  const child = spawn(tools.codeServer, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = opts.log ?? (() => undefined);
  child.stdout!.on('data', (c: Buffer) => c.toString().split('\n').filter(Boolean).forEach((l) => log(`[code-server] ${l}`)));
  child.stderr!.on('data', (c: Buffer) => c.toString().split('\n').filter(Boolean).forEach((l) => log(`[code-server:err] ${l}`)));

  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, 60_000);

  const dispose = async () => {
    await stopChild(child);
    if (!opts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
  };
  return {
    url,
    port,
    dir,
    pid: child.pid!,
    urlFor(folder, payload) {
      // A `.code-workspace` file opens as a (multi-root) workspace, anything else as a folder.
      const q = new URLSearchParams(folder.endsWith('.code-workspace') ? { workspace: folder } : { folder });
      if (payload) q.set('payload', JSON.stringify(payload));
      return `${url}/?${q.toString()}`;
    },
    dispose,
  };
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout!.on('data', (d) => (out += d));
    c.stderr!.on('data', (d) => (out += d));
    c.on('error', reject);
    c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code}: ${out}`))));
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was ready`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(`${url}/healthz`, { timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

/** SIGTERM to the process group we started (code-server, its extension host and what the
 *  extension spawned), then SIGKILL after a grace period. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  const group = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      group('SIGKILL'); // stragglers in the group (the leader may exit first)
      resolve();
    };
    const t = setTimeout(done, graceMs);
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => setTimeout(done, 300));
    group('SIGTERM');
  });
}
