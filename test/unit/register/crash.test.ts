// vibewatch/register observes uncaught exceptions and unhandled rejections; it must not
// change what the process does with them: the same exit code and the same error on stderr
// as without it, and an app's own handler still keeps it alive.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REGISTER_SOURCE, REPO } from './spawnApp';

const SCRIPT = join(__dirname, 'fixtures', 'crash', 'crash.js');

function run(how: string, instrument: boolean) {
  const args = instrument ? ['--require', 'tsx/cjs', '--require', REGISTER_SOURCE, SCRIPT, how] : [SCRIPT, how];
  const r = spawnSync(process.execPath, args, {
    cwd: join(__dirname, 'fixtures', 'crash'),
    // Port 9 on loopback: the collector is down, as it may be for a user; nothing waits on it.
    env: { ...process.env, NODE_PATH: join(REPO, 'node_modules'), NODE_OPTIONS: '', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vibewatch/register keeps the app\'s crash behaviour', function () {
  this.timeout(60_000);
  for (const [how, message] of [['reject', 'nobody caught this rejection'], ['throw', 'nobody caught this throw']] as const) {
    it(`an unhandled ${how === 'reject' ? 'rejection' : 'exception'} still ends the process with the same code and message`, () => {
      const bare = run(how, false);
      const instrumented = run(how, true);
      assert.equal(bare.status, 1);
      assert.equal(instrumented.status, bare.status, instrumented.stderr);
      assert.match(instrumented.stderr, new RegExp(message));
    });
  }

  it('an app that handles uncaught exceptions itself keeps running them through its handler', () => {
    const r = run('handled', true);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /handled: the app handles this one/);
  });
});
