// How the extension launches and trusts collectors, against real collector processes.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { collectorArgs, collectorEnv, probeTrusted, trustedStorages, type LaunchSettings } from '../../../extension/collectorLaunch';
import { startCollector } from '../collector/server/harness';

const ROOT = join(__dirname, '../../..');
const KEY = 'k-9f3c2e-do-not-show';

function settings(over: Partial<LaunchSettings> = {}): LaunchSettings {
  return {
    host: '127.0.0.1', port: 0, grpcPort: 0, allowRemote: false, apiKey: '',
    storage: { maxAgeHours: 24, maxSizeMb: 500, aggregateRetentionDays: 30 },
    thresholds: { slowQueryMs: 200, nPlusOne: 10 }, incidentMinSeverity: 'critical',
    webhookUrl: '', slackFormat: false, aiExtraPatterns: [], teamUrl: '', ...over,
  };
}

/** Starts collector/process/main.ts exactly as the supervisor does (its args and env), from source. */
function launch(cfg: LaunchSettings, storage: string) {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', ...collectorArgs(cfg, join(ROOT, 'collector/process/main.ts'), storage)], {
    cwd: ROOT, env: collectorEnv(cfg, process.env), stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const first = new Promise<Record<string, unknown>>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const line = JSON.parse(l) as Record<string, unknown>;
      lines.push(line);
      if (['listening', 'config-error', 'start-failed'].includes(String(line.event))) resolve(line);
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, first, exited };
}

describe('extension collector launch and trust', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'vw-launch-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the API key in the environment, never in argv, and drops an inherited one', () => {
    const remote = settings({ allowRemote: true, apiKey: KEY });
    assert.ok(!collectorArgs(remote, 'main.js', dir).some((a) => a.includes(KEY)));
    assert.ok(collectorArgs(remote, 'main.js', dir).includes('--allow-remote'));
    assert.equal(collectorEnv(remote, {}).VIBEWATCH_API_KEY, KEY);
    const local = collectorEnv(settings(), { VIBEWATCH_API_KEY: 'inherited', VIBEWATCH_ALLOW_REMOTE: '1' });
    assert.equal(local.VIBEWATCH_API_KEY, undefined);
    assert.equal(local.VIBEWATCH_ALLOW_REMOTE, undefined);
  });

  it('passes the team token (from SecretStorage) in the environment only, and the team URL only with a token', () => {
    const TOKEN = 'team-t0ken-do-not-show';
    const team = settings({ teamUrl: 'https://team.example.test' });
    assert.deepEqual(collectorArgs(team, 'main.js', dir, TOKEN).slice(-2), ['--team-url', 'https://team.example.test']);
    assert.ok(!collectorArgs(team, 'main.js', dir, TOKEN).some((a) => a.includes(TOKEN)));
    assert.equal(collectorEnv(team, {}, TOKEN).VIBEWATCH_TEAM_TOKEN, TOKEN);
    // No token stored yet: the collector starts without team mode instead of refusing to start.
    assert.ok(!collectorArgs(team, 'main.js', dir).includes('--team-url'));
    assert.equal(collectorEnv(settings(), { VIBEWATCH_TEAM_TOKEN: 'inherited' }, TOKEN).VIBEWATCH_TEAM_TOKEN, undefined);
  });

  it('gets exit 2 (configuration error) for allowRemote with an empty key, as the settings allow', async () => {
    const p = launch(settings({ allowRemote: true, apiKey: '' }), dir);
    const line = await p.first;
    assert.equal(line.event, 'config-error');
    assert.match(String(line.message), /--allow-remote needs an API key/);
    assert.equal(await p.exited, 2);
  });

  it('starts a remote-mode collector whose command line (what ps shows) has no key, and which requires it', async function () {
    const p = launch(settings({ allowRemote: true, apiKey: KEY }), dir);
    try {
      const line = await p.first;
      assert.equal(line.event, 'listening', JSON.stringify(p.lines));
      if (existsSync(`/proc/${p.child.pid}/cmdline`)) assert.ok(!readFileSync(`/proc/${p.child.pid}/cmdline`, 'utf8').includes(KEY), 'the key is in /proc/PID/cmdline');
      const url = `http://127.0.0.1:${line.port}/health`;
      assert.equal((await fetch(url)).status, 401);
      assert.equal((await fetch(url, { headers: { authorization: `Bearer ${KEY}` } })).status, 200);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });

  it('does not trust a process that answers /health as a Vibewatch collector without the secret', async () => {
    const fake = createServer((_q, r) => r.end(JSON.stringify({ product: 'vibewatch-collector', version: '9.9.9', protocol: 1, pid: 1, startedAt: '', storage: dir })));
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const real = await startCollector();
    try {
      const p = await probeTrusted('127.0.0.1', (fake.address() as AddressInfo).port, trustedStorages(real.storage, {}));
      assert.equal(p.kind, 'foreign');
      const ok = await probeTrusted('127.0.0.1', real.port, trustedStorages(dir, { VIBEWATCH_STORAGE: real.storage }));
      assert.equal(ok.kind, 'vibewatch');
      assert.equal(ok.kind === 'vibewatch' && ok.storage, real.storage);
    } finally {
      fake.close();
      await real.stop();
    }
  });
});
