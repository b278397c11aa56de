import { strict as assert } from 'node:assert';
import { LiveClient } from '../../../../collector/live/client';
import { serveHandlers, type ServedHandlers } from '../live/serveHandlers';
import { findFreePort } from '../../../../collector/live/probe';
import { parseArgs, type CliIo } from '../../../../collector/cli/command';
import { Analyzer } from '../../../../collector/analysis/analyzer';
import { analysisHandlers } from '../../../../collector/analysis/handlers';
import { alertsCommand, errorsCommand, incidentsCommand, statusCommand } from '../../../../collector/cli/analysisCommands';
import type { AlertView } from '../../../../collector/analysis/alerts/types';
import type { ErrorGroupView } from '../../../../collector/analysis/errors/types';
import type { IncidentView } from '../../../../collector/analysis/incidents/types';
import type { StatusView } from '../../../../collector/analysis/status/types';
import { MemoryState } from './otelHelper';
import { batchOf, traffic } from '../../../harness/spans';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

/** The served table's storage folder, where the client verbs find its secret. */
let env: NodeJS.ProcessEnv = {};

function io() {
  const out = { stdout: '', stderr: '' };
  const cli: CliIo = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), readStdin: async () => '', env };
  return { cli, out };
}

describe('analysis/cli and live handlers', () => {
  let served: ServedHandlers;
  let port: number;
  let analyzer: Analyzer;

  before(async () => {
    let clock = T0;
    // One status component per service (opt-in; the default publishes none without status.json).
    analyzer = new Analyzer({ state: new MemoryState(), now: () => clock, settings: { publishTelemetryServices: true } });
    for (let m = 0; m < 5; m++) {
      const b = batchOf(traffic({ fromMs: clock, minutes: 1, perMinute: 40, errorEvery: 2 }));
      b.spans[0].status.message = `order ${m} failed`;
      analyzer.observe(b);
      analyzer.tick((clock += 60_000));
    }
    served = await serveHandlers(analysisHandlers(analyzer.features));
    port = served.port;
    env = { VIBEWATCH_STORAGE: served.storage };
  });
  after(async () => {
    await analyzer.shutdown();
    await served.close();
  });

  it('`vibewatch errors --json` prints the error groups', async () => {
    const { cli, out } = io();
    assert.equal(await errorsCommand.run(parseArgs(['--json', '--port', String(port)]), cli), 0, out.stderr);
    const groups = JSON.parse(out.stdout) as ErrorGroupView[];
    assert.equal(groups.length, 1);
    assert.equal(groups[0].title, 'order <num> failed');
    assert.equal(groups[0].count, 5);
  });

  it('`vibewatch alerts --json` prints the firing default alerts', async () => {
    const { cli, out } = io();
    assert.equal(await alertsCommand.run(parseArgs(['--json', '--state', 'firing', '--port', String(port)]), cli), 0, out.stderr);
    const alerts = JSON.parse(out.stdout) as AlertView[];
    assert.deepEqual(alerts.map((a) => a.ruleId).sort(), ['default.endpoint-error-rate', 'default.endpoint-error-rate-critical']);
  });

  it('`vibewatch incidents --json` and `vibewatch status --json` print the incident and the outage', async () => {
    const a = io();
    assert.equal(await incidentsCommand.run(parseArgs(['--json', '--port', String(port)]), a.cli), 0, a.out.stderr);
    const [inc] = JSON.parse(a.out.stdout) as IncidentView[];
    assert.equal(inc.state, 'triggered');
    const s = io();
    assert.equal(await statusCommand.run(parseArgs(['--json', '--port', String(port)]), s.cli), 0, s.out.stderr);
    const st = JSON.parse(s.out.stdout) as StatusView;
    assert.equal(st.overall, 'major_outage');
  });

  it('prints a readable table without --json', async () => {
    const { cli, out } = io();
    assert.equal(await statusCommand.run(parseArgs(['--port', String(port)]), cli), 0);
    assert.match(out.stdout, /^overall: major_outage\n  shop-api\s+major_outage\s+uptime/);
  });

  it('exits 2 and says so when no collector answers', async () => {
    const { cli, out } = io();
    const free = await findFreePort();
    assert.equal(await errorsCommand.run(parseArgs(['--port', String(free)]), cli), 2);
    assert.match(out.stderr, /no Vibewatch collector answers/);
  });

  it('acts on incidents over the live protocol and rejects bad params with a message', async () => {
    const client = new LiveClient({ port, secret: served.secret });
    try {
      await client.connect();
      const inc = await client.request('incidentAction', { action: 'statusUpdate', incidentId: 'inc-1', status: 'identified', message: 'Payments provider outage.' });
      assert.equal(inc.publicUpdates[inc.publicUpdates.length - 1].status, 'identified');
      await assert.rejects(client.request('incidentAction', { action: 'ack', incidentId: 'inc-9' }), /no incident inc-9/);
      await assert.rejects(client.request('errors', { state: 'sleeping' as never }), /"state" must be one or more of/);
      await assert.rejects(client.request('errorAction', { action: 'merge', groupId: 'x' } as never), /"otherIds" must be a non-empty array/);
      const rules = await client.request('alertRules', {});
      assert.ok(rules.rules.some((r) => r.id === 'default.memory-trend'));
    } finally {
      client.dispose();
    }
  });
});
