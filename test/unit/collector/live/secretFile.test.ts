import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from '../../../../collector/live/auth';
import { readSecretFile, secretPath, writeSecretFile } from '../../../../collector/live/secretFile';
import { startCollector } from '../server/harness';

const posix = process.platform !== 'win32';

describe('collector secret file', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'vw-secret-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written by a started collector, readable by this user only, and holds the secret it requires', async () => {
    const c = await startCollector();
    try {
      const r = readSecretFile(c.storage);
      assert.deepEqual(r, { secret: c.collector.secret });
      if (posix) assert.equal(statSync(secretPath(c.storage)).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(c.storage).filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind');
    } finally {
      await c.stop();
    }
  });

  it('is a fresh secret at every start', async () => {
    const a = await startCollector();
    const b = await startCollector();
    try {
      assert.notEqual(a.collector.secret, b.collector.secret);
      assert.match(a.collector.secret, /^[0-9a-f]{64}$/);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('replaces an older secret atomically', async () => {
    await writeSecretFile(dir, generateSecret());
    const next = generateSecret();
    await writeSecretFile(dir, next);
    assert.deepEqual(readSecretFile(dir), { secret: next });
  });

  it('refuses a file other users can read or that is not a secret', async function () {
    if (!posix) this.skip();
    await writeSecretFile(dir, generateSecret());
    chmodSync(secretPath(dir), 0o644);
    assert.match((readSecretFile(dir) as { error: string }).error, /readable or writable by other users \(mode 644\)/);
    writeFileSync(secretPath(dir), 'not a secret', { mode: 0o600 });
    chmodSync(secretPath(dir), 0o600);
    assert.match((readSecretFile(dir) as { error: string }).error, /does not hold a collector secret/);
  });

  it('refuses a symlink in place of the file', async function () {
    if (!posix) this.skip();
    const elsewhere = join(dir, 'elsewhere');
    writeFileSync(elsewhere, generateSecret(), { mode: 0o600 });
    symlinkSync(elsewhere, secretPath(dir));
    assert.match((readSecretFile(dir) as { error: string }).error, /ELOOP/);
  });

  it('says the file is missing when no collector ever ran there', () => {
    assert.match((readSecretFile(join(dir, 'none')) as { error: string }).error, /ENOENT/);
  });
});
