import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { commands, runCli } from '../../../../collector/cli/main';
import type { CliIo } from '../../../../collector/cli/command';
import { COLLECT_OPTIONS } from '../../../../collector/cli/collectOptions';
import { REFUSED_FLAGS } from '../../../../collector/config';

const ROOT = join(__dirname, '..', '..', '..', '..');

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; }, readStdin: async () => '' };
  return io;
}

/** `--name` tokens of `vibewatch VERB --help`. */
async function helpFlags(verb: string): Promise<string[]> {
  const io = capture();
  assert.equal(await runCli([verb, '--help'], io), 0);
  return [...new Set([...io.out.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]))].sort();
}

/** Verb → `--name` tokens of its row in the README's CLI table. */
function readmeTable(): Map<string, string[]> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const m of readme.matchAll(/^\| `vibewatch ([a-z-]+)` \| ([^|]*) \|/gm)) {
    rows.set(m[1], [...new Set([...m[2].matchAll(/--([a-z][a-z0-9-]*)/g)].map((x) => x[1]))].sort());
  }
  return rows;
}

describe('vibewatch VERB --help is the whole list of options', () => {
  it('collect --help names the workspace, threshold and status flags the collector reads', async () => {
    const flags = await helpFlags('collect');
    for (const f of ['workspace', 'slow-query-ms', 'n-plus-one', 'incident-severity', 'webhook', 'webhook-slack', 'ai-patterns', 'status-title', 'status-refresh-sec', 'analysis-settings', 'max-body-mb', 'queue-limit', 'aggregate-retention-days']) {
      assert.ok(flags.includes(f), `collect --help lacks --${f}: ${flags.join(' ')}`);
    }
  });

  it('declares every flag the collector reads (config and components), so none is refused as unknown', () => {
    const declared = new Set(COLLECT_OPTIONS.map((o) => o.name));
    const read = new Set<string>();
    for (const file of ['collector/config.ts', 'collector/process/settings.ts', 'collector/process/placementComponent.ts']) {
      const src = readFileSync(join(ROOT, file), 'utf8');
      for (const re of [/\b(?:flags|f)\[['"]([a-z][a-z0-9-]*)['"]\]/g, /\bflags\.([a-z]+)\b/g, /\b(?:num|msFlag)\('([a-z][a-z0-9-]*)'/g]) {
        for (const m of src.matchAll(re)) read.add(m[1]);
      }
    }
    assert.ok(read.size >= 15, `found only ${[...read].join(' ')}`);
    const refused = new Set(Object.keys(REFUSED_FLAGS));
    const missing = [...read].filter((f) => !declared.has(f) && !refused.has(f));
    assert.deepEqual(missing, [], 'flags read but not declared in collector/cli/collectOptions.ts');
  });

  it('refuses an option the verb does not take, with exit 2 and the usage', async () => {
    const io = capture();
    assert.equal(await runCli(['stats', '--prot', '4318'], io), 2);
    assert.match(io.err, /unknown option --prot/);
    assert.match(io.err, /Usage: vibewatch stats/);
  });

  it('the README CLI table lists exactly the options of every verb', async () => {
    const table = readmeTable();
    assert.deepEqual([...table.keys()].sort(), commands.map((c) => c.name).sort(), 'one README row per verb');
    for (const c of commands) assert.deepEqual(table.get(c.name), await helpFlags(c.name), `README row of ${c.name}`);
  });

  it('the collector process the extension spawns refuses a misspelt flag as a configuration error (exit 2)', function () {
    this.timeout(20_000);
    const script = join(ROOT, 'dist', 'collectorProcess.js');
    const r = spawnSync(process.execPath, [script, '--port', '0', '--slow-query', '5'], { encoding: 'utf8', timeout: 15_000 });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /"event":"config-error".*unknown option --slow-query/);
  });
});
