// Team mode with two real collectors: a team collector (remote mode, API key) holding
// production spans placed in its own checkout at the deployed revision, and a teammate's
// collector whose working copy moved since; the teammate sees the production figures on the
// line where that code is now. Official OTLP exporter, real git repositories.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LiveClient, LiveRequestError } from '../../../../collector/live/client';
import { TempRepo, lines } from '../git/repo';
import { eventually, startRealCollector, type RealCollector } from '../../../harness/realCollector';

const KEY = 'team-key-0123456789abcdef';
const HANDLER_LINE = 4;

async function sendProduction(url: string, revision: string, file: string, n: number): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': revision }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces`, headers: { 'x-vibewatch-key': KEY } }))],
  });
  const tracer = provider.getTracer('prod');
  const t0 = Date.now() - 60_000;
  for (let i = 0; i < n; i++) {
    const s = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: new Date(t0 + i * 10), attributes: { 'code.file.path': file, 'code.line.number': HANDLER_LINE, 'http.route': '/orders' } });
    s.end(new Date(t0 + i * 10 + 20));
  }
  await provider.forceFlush();
  await provider.shutdown();
}

describe('team mode: production figures on a teammate\'s working copy (two real collectors)', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  let teamCheckout: string;
  let deployed: string;
  let team: RealCollector;
  let local: RealCollector;
  let tokenDir: string;

  before(async () => {
    repo = new TempRepo();
    repo.write('app.js', lines(1, 10));
    deployed = repo.commit('orders handler\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    // The team collector's checkout is at the deployed revision...
    teamCheckout = mkdtempSync(join(tmpdir(), 'vw-team-checkout-'));
    execFileSync('git', ['clone', '-q', repo.dir, teamCheckout], { env: repo.env, stdio: 'ignore' });
    // ...while the teammate has moved on: three lines above the handler, one more uncommitted.
    repo.write('app.js', lines(1, 3, 'header') + lines(1, 10));
    repo.commit('header');
    repo.write('app.js', 'uncommitted\n' + lines(1, 3, 'header') + lines(1, 10));
    team = await startRealCollector({ workspace: teamCheckout, config: { allowRemote: true, apiKey: KEY } });
    await sendProduction(team.url, deployed, join(teamCheckout, 'app.js'), 30);
    tokenDir = mkdtempSync(join(tmpdir(), 'vw-team-token-'));
    writeFileSync(join(tokenDir, 'token'), KEY + '\n', { mode: 0o600 });
    local = await startRealCollector({ workspace: repo.dir, flags: { 'team-url': team.url, 'team-token-file': join(tokenDir, 'token') } });
  });
  after(async () => {
    await local?.stop();
    await team?.stop();
    rmSync(teamCheckout, { recursive: true, force: true });
    rmSync(tokenDir, { recursive: true, force: true });
    repo.cleanup();
  });

  it('maps the production line of the deployed revision onto the line the code is at now', async () => {
    const file = join(repo.dir, 'app.js');
    const got = await eventually('production figures through the team collector', async () => {
      const s = await local.client.request('teamFileSummary', { file });
      return s.lines.length ? s : undefined;
    });
    assert.equal(got.source, 'team');
    assert.equal(got.revision, deployed);
    assert.equal(got.unmapped, 0);
    // Line 4 at the deployed revision is line 4 + 3 (committed) + 1 (uncommitted) today.
    assert.deepEqual(got.lines.map((l) => [l.line, l.calls, l.kind]), [[HANDLER_LINE + 4, 30, 'span']]);
    // The local collector's own figures are not mixed in: it received nothing.
    assert.deepEqual((await local.client.request('fileSummary', { file })).lines, []);
  });

  it('gives the AI diffs of the deployed code their production figures, matched by commit', async () => {
    const got = await eventually('production AI-diff figures', async () => {
      const r = await local.client.request('teamAiDiffs', {});
      return r.diffs.some((d) => d.calls > 0) ? r : undefined;
    });
    assert.equal(got.source, 'team');
    const prod = got.diffs.find((d) => d.commit === deployed);
    assert.ok(prod, 'the deployed AI commit is listed by its full SHA');
    assert.equal(prod.tool, 'Claude');
    assert.equal(prod.calls, 30);
    assert.equal(typeof prod.risk?.score, 'number');
    // The same commit is in the teammate's own ledger: that is what the AI Diffs view matches.
    const mine = await local.client.request('aiDiffs', { workspace: repo.dir });
    assert.ok(mine.diffs.some((d) => d.commit === deployed));
    // Nothing of the team checkout's paths crosses.
    assert.ok(!JSON.stringify(got).includes(teamCheckout));
  });

  it('serves team clients read-only, and refuses a wrong key', async () => {
    const reader = new LiveClient({ url: team.url, apiKey: KEY });
    await reader.connect();
    try {
      const r = await reader.request('repoFileSummary', { path: 'app.js' });
      assert.equal(r.summary.file, 'app.js', 'the team side\'s absolute path stays there');
      assert.equal(r.summary.lines[0].calls, 30);
      await assert.rejects(reader.request('clearData', {}), (e: unknown) => e instanceof LiveRequestError && e.code === 'forbidden');
      await assert.rejects(reader.request('repoFileSummary', { path: '../etc/passwd' }), (e: unknown) => e instanceof LiveRequestError && e.code === 'bad_request');
      assert.ok((await team.client.request('fileSummary', { file: join(teamCheckout, 'app.js') })).lines.length, 'nothing was cleared');
    } finally {
      reader.dispose();
    }
    const intruder = new LiveClient({ url: team.url, apiKey: 'wrong' });
    await assert.rejects(intruder.connect(), /HTTP 401/);
    intruder.dispose();
  });

  it('says why there is nothing when no team collector is configured', async () => {
    const s = await team.client.request('teamFileSummary', { file: join(teamCheckout, 'app.js') });
    assert.match(s.unavailable ?? '', /no team collector is configured/);
  });
});
