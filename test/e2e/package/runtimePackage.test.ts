// The README's install line, literally, on a fresh app: the runtime package is built as it
// would be published (`npm run pack:runtime`), installed with `npm install --save-dev` into
// an empty app folder outside the repository, and the app runs with `--require
// vibewatch/register` (and `--import` for ES modules) against a real collector.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventually, startRealCollector, type RealCollector } from '../../harness/realCollector';
import { repoRoot } from '../../harness/tools';
import { spawnApp, type RunningApp } from '../../unit/register/spawnApp';

/** npm's own variables from the `npm test` that runs us must not steer the nested install. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE_OPTIONS' && k !== 'NODE_PATH') env[k] = v;
  return env;
}

describe('the runtime npm package (vibewatch/register + CLI) in a fresh app', function () {
  this.timeout(240_000);
  const root = repoRoot();
  let out: string;
  let appDir: string;
  let tarball: string;
  let pack: { packedBytes: number; unpackedBytes: number; files: number };
  let collector: RealCollector;
  let app: RunningApp | undefined;

  before(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-runtime-'));
    const line = execFileSync(process.execPath, [path.join(root, 'scripts/pack-runtime.mjs'), '--out', out], { encoding: 'utf8', env: cleanEnv() }).trim().split('\n').pop()!;
    ({ tarball, ...pack } = JSON.parse(line) as { tarball: string; packedBytes: number; unpackedBytes: number; files: number });
    appDir = path.join(out, 'fresh-app');
    fs.mkdirSync(appDir);
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true }));
    fs.writeFileSync(path.join(appDir, 'app.js'), [
      "const http = require('node:http');",
      'function hello(req, res) {',
      "  res.end(JSON.stringify({ hello: 'world' }));",
      '}',
      'const server = http.createServer(hello);',
      "server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));",
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(appDir, 'app.mjs'), [
      "import http from 'node:http';",
      "const server = http.createServer((req, res) => res.end('ok'));",
      "server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));",
      '',
    ].join('\n'));
    // The README's line; --prefer-offline: the dependencies are in npm's cache after `npm ci`.
    execFileSync('npm', ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: appDir, env: cleanEnv(), stdio: 'pipe' });
    collector = await startRealCollector();
  });

  after(async () => {
    await app?.stop();
    await collector?.stop();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('is small: one bundle per entry, two real dependencies', () => {
    assert.ok(pack.packedBytes < 2_000_000, `packed ${pack.packedBytes} B`);
    const installed = execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: appDir, encoding: 'utf8', env: cleanEnv() }).trim().split('\n').length - 1;
    assert.ok(installed <= 15, `${installed} packages installed`);
    const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules/vibewatch/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.dependencies), ['@opentelemetry/api', '@opentelemetry/instrumentation']);
  });

  for (const [script, flag] of [['app.js', '--require'], ['app.mjs', '--import']] as const) {
    it(`instruments ${script} with \`node ${flag} vibewatch/register\`: spans reach the collector at the app's line`, async () => {
      const child = await spawnApp(script, {
        cwd: appDir,
        instrument: false,
        env: { ...cleanEnv(), NODE_OPTIONS: `${flag} vibewatch/register`, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_SERVICE_NAME: `fresh-${flag.slice(2)}` },
      });
      app = child;
      for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${child.port}/hello`)).text();
      let lastStats: unknown;
      const traces = await eventually('the app\'s traces', async () => {
        lastStats = await collector.client.request('stats', {});
        const t = await collector.client.request('traces', { service: `fresh-${flag.slice(2)}` });
        return t.length >= 3 && t;
      }, 20_000, () => `stderr: ${child.stderr().slice(-1500)}; stats: ${JSON.stringify(lastStats)}`);
      const spans = await collector.client.request('trace', { traceId: traces[0].traceId });
      const server = spans.find((s) => s.kind === 2);
      assert.ok(server, 'a server span');
      assert.equal(server.attributes['code.file.path'] ?? server.attributes['code.filepath'], path.join(appDir, script));
      await child.stop();
      app = undefined;
    });
  }

  it('runs the CLI from the install (`npx vibewatch`)', () => {
    const help = execFileSync(path.join(appDir, 'node_modules/.bin/vibewatch'), ['--help'], { encoding: 'utf8', env: cleanEnv() });
    assert.match(help, /collect\s+Run the collector/);
  });
});
