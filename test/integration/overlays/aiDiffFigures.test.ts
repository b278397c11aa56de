// Issue 16 in the real editor: an AI-trailered commit that made checkout() 4× slower shows
// the same before/after sentence in the CodeLens, the hover and the AI Diffs view's tooltip.
// The repository is the window's second folder (VIBEWATCH_TEST_AIDIFF_FOLDER), made a git
// repository here after the collector first looked at it; the shared test workspace never
// gets a `.git` (other tests rely on it not being a repository).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ENDPOINT, editorApi, hoverText, lensesOf, waitFor } from './hostHelpers';

const FOLDER = process.env.VIBEWATCH_TEST_AIDIFF_FOLDER ?? '';

const BASE = [
  "'use strict';",
  'async function checkout(cart, db) {',
  "  const span = trace('checkout');",
  '  const total = cart.items.length;',
  '  return total;',
  '}',
  '',
].join('\n');
const AI = BASE.replace(
  '  const total = cart.items.length;\n',
  "  let total = 0;\n  for (const it of cart.items) total += await db.price(it);\n",
);
const SPAN_LINE = 3;

/** Markdown's backslash escapes and appendText's `&nbsp;` undone: the text a person reads. */
const unescapeMd = (s: string) => s.replace(/&nbsp;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('AI-diff figures in the editor (lens, hover, AI Diffs view agree)', function () {
  this.timeout(120_000);
  let home: string;
  let file: string;
  let aiSha: string;

  before(function () {
    if (!FOLDER) this.skip(); // a launcher without the second folder (runInElectron)
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'vw-aidiff-home-'));
    const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Dev Human', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev Human', GIT_COMMITTER_EMAIL: 'dev@example.com' };
    const git = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: FOLDER, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    file = path.join(FOLDER, 'src', 'shop.js');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(file, BASE);
    git('add', '-A');
    git('commit', '-q', '-m', 'shop');
    fs.writeFileSync(file, AI);
    git('add', '-A');
    git('commit', '-q', '-m', 'Load item prices\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    aiSha = git('rev-parse', 'HEAD');
  });

  after(() => {
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('shows "checkout(): p95 ↑ 4.0× (40 before / 40 after) since <sha> (AI diff)" in all three', async () => {
    const { editor } = await editorApi();
    const base = execFileSync('git', ['rev-parse', 'HEAD~1'], { cwd: FOLDER, encoding: 'utf8' }).trim();
    // 40 calls at the revision before the AI commit (10 ms), 40 at the AI revision (40 ms).
    const send = async (revision: string, ms: number, startMs: number) => {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': revision }),
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${ENDPOINT}/v1/traces` }), { maxExportBatchSize: 100, scheduledDelayMillis: 20 })],
      });
      const tracer = provider.getTracer('shop');
      for (let i = 0; i < 40; i++) {
        const start = startMs + i * 100;
        tracer.startSpan('checkout', { kind: SpanKind.INTERNAL, startTime: new Date(start), attributes: { 'code.file.path': file, 'code.line.number': SPAN_LINE } }).end(new Date(start + ms));
      }
      await provider.forceFlush();
      await provider.shutdown();
    };
    const t0 = Date.now() - 10 * 60_000;
    await send(base, 10, t0);
    await send(aiSha, 40, t0 + 5 * 60_000);

    const want = `checkout(): p95 ↑ 4.0× (40 before / 40 after) since ${aiSha.slice(0, 7)} (AI diff)`;
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    // The AI range starts on the first changed line of the body (line 4), below the span's line.
    const lens = await waitFor('the AI lens with the before/after sentence', async () => {
      await editor.ai.refresh();
      return (await lensesOf(uri)).find((l) => /^AI diff/.test(l.title) && l.title.includes('before /'));
    }, 60_000, 500);
    assert.equal(lens.title, `AI diff (Claude, just now) · ${want}`);
    assert.equal(lens.line, 3, 'the lens sits on the range\'s first line');

    const hover = unescapeMd(await hoverText(uri, new vscode.Position(3, 4)));
    assert.ok(hover.includes(want), `hover shows the sentence: ${hover}`);

    const node = await waitFor('the AI diff in the AI Diffs view', async () => {
      await editor.trees.aiDiffs.refresh();
      return editor.trees.aiDiffs.items.find((n) => String(n.item.label) === 'Load item prices');
    }, 15_000, 300);
    const tooltip = node.item.tooltip;
    const text = unescapeMd(typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '');
    assert.ok(text.split('\n').includes(want), `AI Diffs tooltip shows the sentence: ${text}`);
  });
});
