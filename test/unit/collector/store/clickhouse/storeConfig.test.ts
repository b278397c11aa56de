// `--store clickhouse` flags: checked once at start, a bad value is a configuration error
// (exit 2) that names the flag; the password never comes from argv.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, configFrom } from '../../../../../collector/config';

const ROOT = join(__dirname, '../../../../..');

describe('--store clickhouse configuration', () => {
  const bad = (flags: Record<string, string | true>, re: RegExp, env: NodeJS.ProcessEnv = {}) =>
    assert.throws(() => configFrom(flags, env), (e: unknown) => e instanceof ConfigError && re.test(e.message));

  it('takes the URL, database, user, cluster and the password from the environment', () => {
    const c = configFrom({ store: 'clickhouse', 'clickhouse-url': 'http://127.0.0.1:8123/', 'clickhouse-database': 'team', 'clickhouse-user': 'vw', 'clickhouse-cluster': 'two' }, { VIBEWATCH_CLICKHOUSE_PASSWORD: 's3cret' });
    assert.deepEqual(c.store, { kind: 'clickhouse', url: 'http://127.0.0.1:8123', database: 'team', user: 'vw', password: 's3cret', cluster: 'two' });
    assert.deepEqual(configFrom({}, {}).store, { kind: 'sqljs' });
    assert.equal((configFrom({ store: 'clickhouse', 'clickhouse-url': 'https://ch.internal:8443' }, {}).store as { database: string }).database, 'vibewatch');
  });

  it('refuses bad values naming the flag', () => {
    bad({ store: 'clickhouse' }, /--store clickhouse needs --clickhouse-url/);
    bad({ store: 'clickhouse', 'clickhouse-url': 'not a url' }, /--clickhouse-url "not a url" is not a URL/);
    bad({ store: 'clickhouse', 'clickhouse-url': 'tcp://127.0.0.1:9000' }, /--clickhouse-url must be http:\/\/ or https:\/\//);
    bad({ store: 'clickhouse', 'clickhouse-url': 'http://u:p@127.0.0.1:8123' }, /must not carry credentials/);
    bad({ store: 'clickhouse', 'clickhouse-url': 'http://127.0.0.1:8123', 'clickhouse-database': 'x; DROP' }, /--clickhouse-database/);
    bad({ store: 'clickhouse', 'clickhouse-url': 'http://127.0.0.1:8123', 'clickhouse-cluster': 'a-b' }, /--clickhouse-cluster/);
    bad({ store: 'mysql' }, /--store must be sqljs or clickhouse/);
    bad({ 'clickhouse-url': 'http://127.0.0.1:8123' }, /--clickhouse-url needs --store clickhouse/);
    bad({ store: 'clickhouse', 'clickhouse-url': 'http://127.0.0.1:8123', 'clickhouse-password': 'p' }, /VIBEWATCH_CLICKHOUSE_PASSWORD/);
  });

  it('the collector process exits 2 with a config-error line for a bad --clickhouse-url', function () {
    this.timeout(30_000);
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'collector/process/main.ts'), '--port', '0', '--store', 'clickhouse', '--clickhouse-url', 'ftp://x'], { encoding: 'utf8', timeout: 25_000, cwd: ROOT });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /"event":"config-error".*--clickhouse-url must be http/);
  });
});
