// The layering check of `npm run lint` on a small collector tree written by the test: it
// passes on a clean tree and names each rule a new import breaks.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The checker is the lint script's own module (ESM).
const load = () => import('../../../scripts/layering.mjs') as Promise<{ checkLayering(dir: string): string[] }>;

describe('collector layering check (lint)', () => {
  let root: string;
  const write = (rel: string, text: string) => {
    const f = join(root, 'collector', rel);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vw-layering-'));
    write('model/types.ts', 'export interface Span { id: string }\n');
    write('store/api.ts', "import type { Span } from '../model/types';\nexport interface Store { put(s: Span): void }\n");
    write('live/protocol.ts', "import type { Store } from '../store/api';\nexport type X = Store;\n");
    write('cli/main.ts', "import type { X } from '../live/protocol';\nexport const x: X | undefined = undefined;\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes the clean tree, and the real collector', async () => {
    const { checkLayering } = await load();
    assert.deepEqual(checkLayering(join(root, 'collector')), []);
    assert.deepEqual(checkLayering(join(__dirname, '..', '..', '..', 'collector')), []);
  });

  it('fails on a new cycle, a type-only one included', async () => {
    const { checkLayering } = await load();
    write('store/api.ts', "import type { Span } from '../model/types';\nimport type { X } from '../live/protocol';\nexport interface Store { put(s: Span, x: X): void }\n");
    const found = checkLayering(join(root, 'collector'));
    assert.ok(found.some((f) => /^import cycle: .*live\/protocol\.ts → .*store\/api\.ts/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /store\/api\.ts imports .*live\/protocol\.ts: store\/ must not know live\//.test(f)), found.join('\n'));
  });

  it('fails when model/ reaches out or a domain folder imports cli/', async () => {
    const { checkLayering } = await load();
    write('model/types.ts', "import type { Store } from '../store/api';\nexport interface Span { id: string; s?: Store }\n");
    write('git/service.ts', "import { x } from '../cli/main';\nexport const y = x;\n");
    const found = checkLayering(join(root, 'collector'));
    assert.ok(found.some((f) => /model\/types\.ts imports .*: model\/ imports nothing outside model\//.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /git\/service\.ts imports .*cli\/main\.ts: only cli\/ and process\/ import cli\//.test(f)), found.join('\n'));
  });

  it('fails when an analysis feature imports the scheduler, or shared/ imports a feature', async () => {
    const { checkLayering } = await load();
    write('analysis/feature.ts', 'export interface AnalysisFeature { name: string }\n');
    write('analysis/analyzer.ts', "import type { AnalysisFeature } from './feature';\nexport class Analyzer { f?: AnalysisFeature }\n");
    write('analysis/shared/glob.ts', 'export const glob = 1;\n');
    write('analysis/errors/errorsFeature.ts', "import type { AnalysisFeature } from '../feature';\nimport { glob } from '../shared/glob';\nexport const e: AnalysisFeature = { name: String(glob) };\n");
    assert.deepEqual(checkLayering(join(root, 'collector')), [], 'a feature may import feature.ts and shared/');
    write('analysis/alerts/alertsFeature.ts', "import type { Analyzer } from '../analyzer';\nexport type A = Analyzer;\n");
    write('analysis/shared/attrs.ts', "import { e } from '../errors/errorsFeature';\nexport const a = e;\n");
    const found = checkLayering(join(root, 'collector'));
    assert.ok(found.some((f) => /alerts\/alertsFeature\.ts imports .*analysis\/analyzer\.ts: an analysis feature does not import the scheduler/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /shared\/attrs\.ts imports .*errors\/errorsFeature\.ts: analysis\/shared\/ imports no feature/.test(f)), found.join('\n'));
  });
});
