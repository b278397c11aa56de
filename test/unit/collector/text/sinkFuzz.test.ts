// Fuzz: hostile strings (the issue's, mutated and combined by a seeded generator) go through the
// real collector — the test harness's startRealCollector, fed by the official OTLP exporters — as
// routes, span names, service names, exception messages, log bodies and severity texts. What the
// collector answers is then formatted by every sink's formatting function (CodeLens, hover,
// diagnostics, alert notification, tree texts, quick picks, Slack bodies the collector actually
// POSTed), and nothing may render as a link, heading, HTML or codicon, or carry control
// characters into a one-line sink.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { LiveClient } from '../../../../collector/live/client';
import { startRealCollector, type RealCollector } from '../../../harness/realCollector';
import { labelText, plainLines, plainText } from '../../../../collector/text/sinkText';
import { buildLenses } from '../../../../extension/overlays/lensModel';
import { hoverMarkdown } from '../../../../extension/overlays/hoverModel';
import { buildDiagnostics } from '../../../../extension/overlays/diagnosticsModel';
import { alertNotification } from '../../../../extension/alerts/alertsModel';
import { CONTROL, HOSTILE, renderLabel, renderMarkdown, renderNotification, renderSlack } from '../../../harness/renderedSinks';
import { seededRandom } from '../../../harness/seededRandom';

const rng = seededRandom;

const FRAGMENTS = ['[', ']', '(', ')', '](', 'command:', 'https://', 'file:///', '`', '``', '#', '\n', '\r\n', '<', '>', '&', '<!channel>', '|', '$(', '$(alert)', '\\', '*', '_', '~', '!', '\u202e', '\u0000', '\u2028', ' ', 'x', '/pay', '%5B', '"'];

function hostileStrings(seed: number, n: number): string[] {
  const r = rng(seed);
  const out = HOSTILE.filter((h) => h.length < 2000).map((h) => h);
  while (out.length < n) {
    const base = HOSTILE[Math.floor(r() * HOSTILE.length)].slice(0, 300);
    let s = '';
    for (let i = 0, k = 3 + Math.floor(r() * 12); i < k; i++) s += r() < 0.3 ? base : FRAGMENTS[Math.floor(r() * FRAGMENTS.length)];
    out.push(s);
  }
  return out;
}

const NONE = { links: [], headings: 0, html: [], icons: [] };
const SEED = Number(process.env.VIBEWATCH_FUZZ_SEED ?? 1313);

describe('sink fuzz through the real collector', function () {
  this.timeout(120_000);
  let root: string;
  let ws: string;
  let file: string;
  let port: number;
  let client: LiveClient;
  let collector: RealCollector | undefined;
  const slack: string[] = [];
  let hook: http.Server;

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'vw-sink-fuzz-')));
    ws = join(root, 'ws');
    mkdirSync(join(ws, 'src'), { recursive: true });
    mkdirSync(join(ws, '.vibewatch'), { recursive: true });
    file = join(ws, 'src', 'pay.ts');
    writeFileSync(file, Array.from({ length: 40 }, (_, i) => `export const l${i} = ${i};`).join('\n'));
    // A critical rule over every service, firing at once: the alert texts carry the routes.
    writeFileSync(join(ws, '.vibewatch', 'alerts.json'), JSON.stringify({ rules: [{ id: 'fuzz-errors', title: 'Fuzz [x](command:evil) $(alert)\n# rule', kind: 'errorRate', service: '*', op: '>', threshold: 0.1, minCalls: 1, windowMinutes: 5, for: 0, severity: 'critical' }] }));
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        slack.push((JSON.parse(body) as { text: string }).text);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`;
    // Short analysis timers so the alert fires within the test (defaults: 1 s flush, 5 s tick).
    const analysis = JSON.stringify({ flushIntervalMs: 100, tickIntervalMs: 200, traceQuietMs: 100, webhooks: [{ url: hookUrl, format: 'slack' }] });
    collector = await startRealCollector({ storage: join(root, 'storage'), flags: { 'analysis-settings': analysis } });
    ({ port, client } = collector);
    await client.request('registerWorkspace', { folders: [ws] });
  });
  after(async () => {
    await collector?.stop();
    await new Promise<void>((r) => hook.close(() => r()));
    rmSync(root, { recursive: true, force: true });
  });

  it(`renders nothing from hostile telemetry as a link, heading, HTML or codicon in any sink (seed ${SEED})`, async () => {
    const strings = hostileStrings(SEED, 120);
    // Official exporters, one service per group of strings (service names are hostile too).
    for (let g = 0; g < 4; g++) {
      const service = strings[g * 7 % strings.length].slice(0, 200);
      const traces = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }), { maxExportBatchSize: 512, maxQueueSize: 4096 })] });
      const logs = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': service }), processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${port}/v1/logs` }) })] });
      const tracer = traces.getTracer('sink-fuzz');
      const logger = logs.getLogger('sink-fuzz');
      const t0 = Date.now() - 30_000;
      strings.forEach((h, i) => {
        if (i % 4 !== g) return;
        const line = 1 + (i % 30);
        for (let k = 0; k < 3; k++) {
          const span = tracer.startSpan(h, { kind: SpanKind.SERVER, startTime: new Date(t0 + i * 10 + k), attributes: { 'http.route': h, 'http.request.method': 'GET', 'code.file.path': file, 'code.line.number': line, 'db.statement': h } });
          span.recordException({ name: h.slice(0, 100), message: h, stack: `Error: ${h}\n    at handler (${file}:${line}:3)` });
          span.setStatus({ code: SpanStatusCode.ERROR, message: h });
          span.end(new Date(t0 + i * 10 + k + 5));
        }
        logger.emit({ severityText: h.slice(0, 50), severityNumber: 17, body: h, attributes: { 'code.file.path': file, 'code.line.number': line } });
      });
      await traces.forceFlush();
      await logs.forceFlush();
      await traces.shutdown();
      await logs.shutdown();
    }

    // Wait for the analysis to raise the alerts and for their Slack bodies to arrive.
    for (let i = 0; i < 200 && !(slack.length && (await client.request('alerts', {})).some((a) => a.state === 'firing')); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    const now = Date.now();
    const [summary, errors, findings, alerts, incidents] = await Promise.all([
      client.request('fileSummary', { file }), client.request('errors', {}), client.request('findings', {}), client.request('alerts', {}), client.request('incidents', {}),
    ]);
    assert.ok(summary.lines.length > 0, 'the collector placed the spans and logs on lines');
    assert.ok(alerts.some((a) => a.state === 'firing'), 'the critical alert fired');
    assert.ok(slack.length > 0, 'the Slack webhook received the alert');
    assert.ok(alerts.some((a) => /command:|\]\(|\$\(/.test(a.text)), 'the hostile text reached the alert data (escaping is at the sinks)');

    // Every sink's formatting, timed: all of it must be far below interactive latency. The bound
    // is generous (shared 2-core machine, a cold regex cache); it catches a quadratic escape.
    const started = process.hrtime.bigint();
    // `oneLine`: a sink that shows one line, so no control character may reach it.
    const checks: { sink: string; text: string; oneLine?: boolean; r: { links: string[]; headings: number; html: string[]; icons: string[] } }[] = [];
    for (const l of buildLenses(file, summary.lines, [], now)) {
      checks.push({ sink: 'codeLens title', text: l.title, oneLine: true, r: renderLabel(l.title) }, { sink: 'codeLens tooltip', text: l.tooltip, oneLine: true, r: NONE });
    }
    for (const s of summary.lines) {
      const md = hoverMarkdown(file, [s], [], now) ?? '';
      const r = renderMarkdown(md);
      checks.push({ sink: 'hover', text: md, r: { ...r, links: r.links.filter((u) => !/^command:vibewatch\.(openTraces|openLogs)\?/.test(u)), html: r.html, icons: r.icons } });
    }
    for (const d of [...buildDiagnostics({ errors, findings, anomalies: [] }, now, 3_600_000).values()].flat()) {
      for (const m of [d.message, ...d.related.map((x) => x.message)]) checks.push({ sink: 'diagnostic', text: m, oneLine: true, r: NONE });
    }
    for (const a of alerts) {
      const n = alertNotification(a);
      checks.push({ sink: 'notification', text: n, oneLine: true, r: renderNotification(n) });
      for (const t of [plainText(a.title), plainText(a.text, 500), plainText(`${a.state} · ${a.severity}${a.service ? ` · ${a.service}` : ''}`)]) checks.push({ sink: 'alert tree item', text: t, oneLine: true, r: NONE });
    }
    for (const g of errors) {
      checks.push({ sink: 'error tree item', text: plainText(`${g.type}: ${g.title}`), oneLine: true, r: NONE });
      for (const t of plainLines(`${g.title}\nservices: ${g.services.join(', ')}`).split('\n')) checks.push({ sink: 'error tooltip line', text: t, oneLine: true, r: NONE });
    }
    for (const i of incidents) {
      const pick = labelText(i.title);
      checks.push({ sink: 'incident quick pick', text: pick, oneLine: true, r: renderLabel(pick) });
    }
    for (const text of slack) checks.push({ sink: 'slack', text, oneLine: true, r: renderSlack(text) });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

    const bad = checks.filter((c) => c.r.links.length || c.r.headings || c.r.html.length || c.r.icons.length || (c.oneLine && CONTROL.test(c.text)));
    assert.deepEqual(bad.slice(0, 3).map((c) => ({ sink: c.sink, text: c.text.slice(0, 120), controls: !!c.oneLine && CONTROL.test(c.text), ...c.r })), [], `${bad.length} of ${checks.length} rendered something live or broke a line`);
    assert.ok(checks.length > 100, `${checks.length} sink outputs checked`);
    assert.ok(elapsedMs < 10_000, `formatting every sink took ${elapsedMs.toFixed(0)} ms`);
  });
});
