// In-host measurements (activate time, event-loop delay under load) are written as JSON to
// test-artifacts/host/ for the record; speed targets are never pass/fail lines in tests.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeMeasurement(name: string, data: Record<string, unknown>): void {
  const dir = process.env.VIBEWATCH_TEST_ARTIFACTS;
  console.log(`[measurement] ${name}: ${JSON.stringify(data)}`);
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ ...data, at: new Date().toISOString() }, null, 2));
}
