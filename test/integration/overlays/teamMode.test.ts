// Team mode in the real editor: a team collector (remote mode, API key, storing in a real
// clickhouse-server started here, as docs/team.md runs it) holds production spans placed in
// its checkout at the deployed revision; the user sets the team
// URL and token (secret storage) as a teammate would, and sees a `production:` lens on the
// line where that code is in their working copy, which moved since. The working copy is the
// window's third folder (VIBEWATCH_TEST_TEAM_FOLDER).
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { editorApi, waitFor } from './hostHelpers';
import { startClickHouse, type ClickHouseServer } from '../../harness/clickhouse';

const FOLDER = process.env.VIBEWATCH_TEST_TEAM_FOLDER ?? '';
const KEY = 'host-team-key-5f2a9c';
const lines = (n: number, prefix: string) => Array.from({ length: n }, (_v, i) => `// ${prefix} ${i + 1}`).join('\n') + '\n';

describe('team mode in the editor (production lens on a moved working copy)', function () {
  this.timeout(120_000);
  let tmp: string;
  let team: ChildProcess | undefined;
  let ch: ClickHouseServer | undefined;

  before(function () {
    if (!FOLDER) this.skip(); // a launcher without the third folder (runInElectron)
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vw-host-team-'));
  });

  after(async () => {
    const { editor } = await editorApi();
    await vscode.workspace.getConfiguration('vibewatch').update('team.url', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('vibewatch').update('team.show', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('vibewatch.clearTeamToken');
    // The tests after this one need the window's collector back, without team mode, with
    // this window's folders registered again.
    await waitFor('the collector back without team mode', async () => {
      if (!editor.client.connected) return undefined;
      const s = await editor.client.request('teamFileSummary', { file: path.join(FOLDER, 'orders.js') }).catch(() => undefined);
      return s && /no team collector is configured/.test(s.unavailable ?? '') ? s : undefined;
    }, 60_000, 500);
    if (team?.pid && team.exitCode === null) {
      const exited = new Promise((r) => team!.once('exit', r));
      team.kill('SIGTERM');
      await exited;
    }
    await ch?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows the production figures of the deployed line on the line the code is at now', async () => {
    const { api, editor } = await editorApi();
    const env = { PATH: process.env.PATH, HOME: tmp, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    const file = path.join(FOLDER, 'orders.js');
    git(FOLDER, 'init', '-q', '-b', 'main');
    fs.writeFileSync(file, lines(10, 'orders'));
    git(FOLDER, 'add', '-A');
    git(FOLDER, 'commit', '-q', '-m', 'orders');
    const deployed = git(FOLDER, 'rev-parse', 'HEAD');
    const checkout = path.join(tmp, 'checkout');
    git(tmp, 'clone', '-q', FOLDER, checkout);
    // The teammate moved on: 5 lines above the handler since the deployed revision.
    fs.writeFileSync(file, lines(5, 'header') + lines(10, 'orders'));
    git(FOLDER, 'commit', '-qam', 'header');

    // The team collector, as `vibewatch collect` runs on a server: on ClickHouse.
    ch = await startClickHouse();
    const cli = path.join(vscode.extensions.getExtension('vibewatch.vibewatch')!.extensionPath, 'dist', 'cli.js');
    team = spawn(process.execPath, [cli, 'collect', '--allow-remote', '--port', '0', '--grpc-port', '0', '--storage', path.join(tmp, 'storage'), '--workspace', checkout,
      '--store', 'clickhouse', '--clickhouse-url', ch.url, '--team-analysis-poll-ms', '200'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', VIBEWATCH_API_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    team.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const port = await waitFor('the team collector listening', () => /"event":"listening".*?"port":(\d+)/.exec(out)?.[1], 30_000, 100);
    const teamUrl = `http://127.0.0.1:${port}`;
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': deployed }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${teamUrl}/v1/traces`, headers: { 'x-vibewatch-key': KEY } }), { scheduledDelayMillis: 20 })],
    });
    const tracer = provider.getTracer('prod');
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 25; i++) tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: new Date(t0 + i * 10), attributes: { 'code.file.path': path.join(checkout, 'orders.js'), 'code.line.number': 3 } }).end(new Date(t0 + i * 10 + 12));
    await provider.forceFlush();
    await provider.shutdown();

    // What a teammate does: store the token, then set the URL (each restarts the collector).
    await vscode.commands.executeCommand('vibewatch.setTeamToken', KEY);
    await vscode.workspace.getConfiguration('vibewatch').update('team.url', teamUrl, vscode.ConfigurationTarget.Global);
    await waitFor('the local collector connected to the team collector', async () => {
      if (!editor.client.connected) return undefined;
      const s = await editor.client.request('teamFileSummary', { file }).catch(() => undefined);
      return s?.lines.length ? s : undefined;
    }, 60_000, 500);
    assert.equal(api.supervisor.state.kind, 'running');

    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const lens = await waitFor('the production lens', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
      return all.find((l) => l.command?.title.includes('production:'));
    }, 30_000, 500);
    // Line 3 at the deployed revision is line 8 now (0-based 7).
    assert.equal(lens.range.start.line, 7);
    assert.match(lens.command!.title, /^\$\(cloud\) production: 25 calls · p95 /);
    // Clicking it says where the figures come from (the tooltip does not cross the command API).
    assert.equal(lens.command!.command, 'vibewatch.showTeamStatus');
    const said = await vscode.commands.executeCommand<string>(lens.command!.command);
    assert.match(said, new RegExp(`team collector at http://127\\.0\\.0\\.1:${port}; their lines are mapped`));

    // The switch: local only hides the production lens, production only brings it back.
    const productionLens = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? []).find((l) => l.command?.title.includes('production:'));
    assert.equal(await vscode.commands.executeCommand('vibewatch.chooseTelemetrySource', 'local'), 'local');
    await waitFor('no production lens with "local only"', async () => ((await productionLens()) ? undefined : true), 10_000, 200);
    assert.equal(await vscode.commands.executeCommand('vibewatch.chooseTelemetrySource', 'production'), 'production');
    const back = await waitFor('the production lens with "production only"', productionLens, 10_000, 200);
    assert.equal(back.range.start.line, 7);
  });
});
