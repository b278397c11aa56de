// `npm run bench`: runs every benchmark and prints one JSON document on stdout (progress on
// stderr). Each figure is reported beside the ceiling it is compared with, measured in the
// same run, because these machines are noisy: compare ratios, not absolute times.
// BENCH_ONLY=store,git runs a subset; BENCH_SPANS sizes the store benchmark (default small;
// the 1M-span figures come from BENCH_SPANS=1000000).
import * as os from 'node:os';
import { benchAnalysis } from './analysis';
import { benchClickHouse } from './clickhouse';
import { benchExtension } from './extension';
import { benchGit } from './git';
import { benchPanels } from './panels';
import { benchReceiver } from './receiver';
import { benchOverhead } from './overhead';
import { benchSource } from './source';
import { benchStore } from './store';

const all: Record<string, () => Promise<object>> = {
  receiver: () => benchReceiver(),
  store: () => benchStore(),
  clickhouse: () => benchClickHouse(),
  source: () => benchSource(),
  git: () => benchGit(),
  analysis: () => benchAnalysis(),
  extension: () => benchExtension(),
  panels: () => benchPanels(),
  overhead: () => benchOverhead(),
};

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  const results: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(all)) {
    if (only && !only.includes(name)) continue;
    process.stderr.write(`[bench] ${name}…\n`);
    const t0 = Date.now();
    try {
      results[name] = await run();
    } catch (err) {
      results[name] = { error: err instanceof Error ? err.message : String(err) };
    }
    process.stderr.write(`[bench] ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const doc = {
    machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg().map((l) => +l.toFixed(2)) },
    at: new Date().toISOString(),
    results,
  };
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
