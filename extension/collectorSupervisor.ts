// Owns the connection to a collector: attaches to one already listening on the configured
// port (another window's), or starts one as a child process (Node via process.execPath
// with ELECTRON_RUN_AS_NODE=1) with storage in the extension's global storage folder.
// A port taken by something that is not a Vibewatch collector is reported, with an offer
// to use another port. A crashed child is restarted with backoff (at most 5 times a minute).
// A collector is attached to only when it proves it holds the secret of a storage folder of
// this user (collectorLaunch.ts); one that merely answers /health as Vibewatch is a conflict.
import { EXIT_CONFIG, EXIT_PORT_CONFLICT, EXIT_STORAGE } from '../collector/exitCodes';
import * as vscode from 'vscode';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { findFreePort } from '../collector/live/probe';
import type { Health } from '../collector/live/protocol';
import { collectorArgs, collectorEnv, probeTrusted, trustedStorages } from './collectorLaunch';
import { readConfig, TEAM_TOKEN_SECRET, type VibewatchConfig } from './config';
import type { Log } from './log';
import { notificationText } from '../collector/text/sinkText';

export type CollectorState =
  | { kind: 'stopped'; reason?: string }
  | { kind: 'starting' }
  /** `storage`: the folder whose secret the collector proved it holds (clients read it from there). */
  | { kind: 'running'; health: Health; owned: boolean; host: string; port: number; storage: string }
  | { kind: 'conflict'; port: number; detail: string }
  | { kind: 'failed'; reason: string };

const MAX_RESTARTS_PER_MINUTE = 5;

export class CollectorSupervisor implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private stateValue: CollectorState = { kind: 'stopped' };
  private readonly stateEmitter = new vscode.EventEmitter<CollectorState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private restarts: number[] = [];
  private stopping = false;
  private disposed = false;
  private watchTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<CollectorState> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {}

  get state(): CollectorState {
    return this.stateValue;
  }

  /** Attach or start, per the settings. Resolves with the resulting state; never throws. */
  async ensure(): Promise<CollectorState> {
    const cfg = readConfig();
    this.setState({ kind: 'starting' });
    const probe = await probeTrusted(cfg.host, cfg.port, this.storages());
    if (probe.kind === 'vibewatch') {
      this.log.info(`attached to the Vibewatch collector ${probe.health.version} (pid ${probe.health.pid}) at ${cfg.host}:${cfg.port}, secret from ${probe.storage}`);
      this.setState({ kind: 'running', health: probe.health, owned: false, host: cfg.host, port: cfg.port, storage: probe.storage });
      this.watch(cfg);
      return this.stateValue;
    }
    if (probe.kind === 'foreign') {
      this.reportConflict(cfg.port, probe.detail);
      return this.stateValue;
    }
    if (!cfg.autoStart) {
      this.setState({ kind: 'stopped', reason: 'no collector is running and vibewatch.collector.autoStart is off' });
      return this.stateValue;
    }
    const teamToken = cfg.teamUrl ? await this.context.secrets.get(TEAM_TOKEN_SECRET) : undefined;
    if (cfg.teamUrl && !teamToken) this.log.warn('vibewatch.team.url is set but no team token is stored: run "Vibewatch: Set Team Token"');
    return this.spawnChild(cfg, teamToken);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearWatch();
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
      this.log.info('collector stopped');
    }
    this.setState({ kind: 'stopped', reason: 'stopped by the user' });
    this.stopping = false;
  }

  /** Restarts run one at a time: settings change in bursts (the team token, then its URL),
   *  and two overlapping stop/ensure pairs could each spawn a child on the same port. */
  restart(): Promise<CollectorState> {
    const run = async () => {
      await this.stop();
      return this.ensure();
    };
    const next = (this.restarting ?? Promise.resolve()).then(run, run);
    this.restarting = next;
    void next.finally(() => {
      if (this.restarting === next) this.restarting = undefined;
    });
    return next;
  }

  /** The PID of the collector this window started, if any (tests kill it to check recovery). */
  get childPid(): number | undefined {
    return this.child?.pid;
  }

  private storageDir(): string {
    const dir = this.ownStorage();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  private ownStorage(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'collector');
  }

  private storages(): string[] {
    return trustedStorages(this.ownStorage(), process.env);
  }

  private spawnChild(cfg: VibewatchConfig, teamToken?: string): Promise<CollectorState> {
    const script = path.join(this.context.extensionPath, 'dist', 'collectorProcess.js');
    let storage: string;
    try {
      storage = this.storageDir();
    } catch (err) {
      const reason = `cannot create the storage folder in ${this.context.globalStorageUri.fsPath}: ${(err as Error).message}`;
      this.log.error(reason);
      this.setState({ kind: 'failed', reason });
      return Promise.resolve(this.stateValue);
    }
    // The heap cap keeps the collector's RSS inside its 400 MB budget (measured: ~345 MB peak).
    const args = ['--max-old-space-size=192', ...collectorArgs(cfg, script, storage, teamToken)];
    this.log.info(`starting collector: ${path.basename(process.execPath)} ${args.join(' ')}`);
    const child = spawn(process.execPath, args, {
      env: collectorEnv(cfg, process.env, teamToken),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child = child;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (s: CollectorState) => {
        if (!settled) {
          settled = true;
          resolve(s);
        }
      };
      let buffered = '';
      let lastStartError: string | undefined;
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          this.log.info(`[collector] ${line}`);
          let msg: { event?: string; port?: number; host?: string; message?: string };
          try {
            msg = JSON.parse(line);
          } catch {
            continue; // plain text from the collector: logged above, nothing to act on
          }
          if ((msg.event === 'start-failed' || msg.event === 'config-error') && msg.message) lastStartError = msg.message;
          // Not fatal: the collector serves OTLP/HTTP without its gRPC receiver.
          if (msg.event === 'grpc-unavailable' && msg.message) this.log.warn(msg.message);
          if (msg.event === 'listening' || msg.event === 'already-running') {
            // The child wrote its secret before "listening"; "already-running" means it
            // checked the running one against the same folder. Either way: verify here.
            void probeTrusted(cfg.host, cfg.port, msg.event === 'listening' ? [storage] : this.storages()).then((p) => {
              if (p.kind === 'vibewatch') {
                this.setState({ kind: 'running', health: p.health, owned: msg.event === 'listening', host: cfg.host, port: cfg.port, storage: p.storage });
                if (msg.event === 'already-running') this.watch(cfg);
              } else {
                this.setState({ kind: 'failed', reason: `collector said ${msg.event} but /health answered ${p.kind}` });
              }
              settle(this.stateValue);
            });
          }
        }
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => this.log.warn(`[collector] ${chunk.trimEnd()}`));
      child.once('error', (err) => {
        this.log.error('collector process failed to start', err);
        this.setState({ kind: 'failed', reason: err.message });
        settle(this.stateValue);
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        if (code === EXIT_PORT_CONFLICT) {
          this.reportConflict(cfg.port, 'the collector process found the port in use');
          settle(this.stateValue);
          return;
        }
        // Bad configuration or an unusable storage folder: restarting cannot help.
        if (code === EXIT_CONFIG || code === EXIT_STORAGE) {
          const reason = lastStartError ?? `the collector refused to start (exit ${code})`;
          this.log.error(reason);
          this.setState({ kind: 'failed', reason });
          void vscode.window.showErrorMessage(`Vibewatch could not start its collector: ${notificationText(reason, 300)}`, 'Show Output').then((c) => c && this.log.show());
          settle(this.stateValue);
          return;
        }
        if (this.stopping || this.disposed) return settle(this.stateValue);
        if (this.stateValue.kind === 'running' && !this.stateValue.owned) return settle(this.stateValue);
        this.log.warn(`collector exited (code ${code ?? '-'}, signal ${signal ?? '-'})`);
        this.setState({ kind: 'failed', reason: `collector exited (code ${code ?? '-'}, signal ${signal ?? '-'})` });
        settle(this.stateValue);
        this.scheduleRestart();
      });
    });
  }

  /** After a crash: restart (or attach to a collector another window restarted first). */
  private scheduleRestart(): void {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      const reason = `collector crashed ${MAX_RESTARTS_PER_MINUTE} times within a minute; not restarting (see the Vibewatch output)`;
      this.log.error(reason);
      this.setState({ kind: 'failed', reason });
      return;
    }
    this.restarts.push(now);
    const delay = 250 * 2 ** (this.restarts.length - 1);
    setTimeout(() => {
      if (!this.disposed && !this.stopping) void this.ensure();
    }, delay);
  }

  /** When attached to another window's collector, notice when it goes away and take over. */
  private watch(cfg: VibewatchConfig): void {
    this.clearWatch();
    this.watchTimer = setInterval(async () => {
      const p = await probeTrusted(cfg.host, cfg.port, this.storages(), 1000);
      if (p.kind === 'vibewatch' || this.disposed || this.stopping) return;
      this.clearWatch();
      this.log.warn(`the collector at ${cfg.host}:${cfg.port} went away (${p.kind}); reconnecting`);
      this.scheduleRestart();
    }, 2000);
  }

  private clearWatch(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = undefined;
  }

  private reportConflict(port: number, detail: string): void {
    const message = `Vibewatch: port ${port} is in use by something that is not a Vibewatch collector (${notificationText(detail, 200)}).`;
    this.log.warn(message);
    this.setState({ kind: 'conflict', port, detail });
    void vscode.window.showWarningMessage(message, 'Use Another Port', 'Show Output').then(async (choice) => {
      if (choice === 'Use Another Port') {
        const free = await findFreePort();
        await vscode.workspace.getConfiguration('vibewatch').update('collector.port', free, vscode.ConfigurationTarget.Global);
        this.log.info(`vibewatch.collector.port set to ${free}`);
        await this.ensure();
      } else if (choice === 'Show Output') this.log.show();
    });
  }

  private setState(s: CollectorState): void {
    this.stateValue = s;
    this.stateEmitter.fire(s);
  }

  dispose(): void {
    this.disposed = true;
    this.clearWatch();
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
    this.child = undefined;
    this.stateEmitter.dispose();
  }
}
