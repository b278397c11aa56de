import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configFrom, defaultStorageDir } from '../../../collector/config';

describe('collector config', () => {
  it('defaults to 127.0.0.1:4318 with a 20 MiB body limit and 24 h / 500 MB retention', () => {
    const c = configFrom({}, { HOME: '/home/me' });
    assert.deepEqual([c.host, c.port, c.maxBodyBytes, c.retentionHours, c.maxStorageMb, c.allowRemote], ['127.0.0.1', 4318, 20 * 1024 * 1024, 24, 500, false]);
  });

  it('puts storage in $VIBEWATCH_STORAGE, else $XDG_DATA_HOME/vibewatch, else ~/.local/share/vibewatch', () => {
    assert.equal(defaultStorageDir({ VIBEWATCH_STORAGE: '/data/vw', XDG_DATA_HOME: '/x', HOME: '/h' }), '/data/vw');
    assert.equal(defaultStorageDir({ XDG_DATA_HOME: '/x', HOME: '/h' }), '/x/vibewatch');
    assert.equal(defaultStorageDir({ HOME: '/h' }), '/h/.local/share/vibewatch');
  });

  it('takes flags over environment variables', () => {
    const c = configFrom({ port: '5000', storage: '/s', 'retention-hours': '2', 'max-storage-mb': '50' }, { VIBEWATCH_PORT: '6000', HOME: '/h' });
    assert.deepEqual([c.port, c.storage, c.retentionHours, c.maxStorageMb], [5000, '/s', 2, 50]);
    assert.equal(configFrom({}, { VIBEWATCH_PORT: '6000', HOME: '/h' }).port, 6000);
  });

  it('keeps every flag for plugins and reads the aggregate retention', () => {
    const c = configFrom({ 'slow-query-ms': '250', webhook: 'http://127.0.0.1:9/hook', 'aggregate-retention-days': '7' }, {});
    assert.equal(c.flags['slow-query-ms'], '250');
    assert.equal(c.flags.webhook, 'http://127.0.0.1:9/hook');
    assert.equal(c.aggregateRetentionDays, 7);
  });

  it('rejects a bad port and a flag without its value', () => {
    assert.throws(() => configFrom({ port: 'http' }, {}), ConfigError);
    assert.throws(() => configFrom({ port: '70000' }, {}), /0..65535/);
    assert.throws(() => configFrom({ storage: true }, {}), /--storage needs a value/);
  });

  it('needs --allow-remote and an API key to bind a non-loopback host', () => {
    assert.throws(() => configFrom({ host: '0.0.0.0' }, {}), /needs --allow-remote and an API key/);
    assert.throws(() => configFrom({ host: '0.0.0.0', 'allow-remote': true }, {}), /--allow-remote needs an API key/);
    const c = configFrom({ host: '0.0.0.0', 'allow-remote': true }, { VIBEWATCH_API_KEY: 'k' });
    assert.equal(c.apiKey, 'k');
    assert.equal(configFrom({ host: 'localhost' }, {}).host, 'localhost');
  });

  it('serves OTLP/gRPC on 4317 by default; --grpc-port moves it, 0 turns it off, auto picks a free port', () => {
    assert.equal(configFrom({}, {}).grpcPort, 4317);
    assert.equal(configFrom({ 'grpc-port': '4400' }, { VIBEWATCH_GRPC_PORT: '4500' }).grpcPort, 4400);
    assert.equal(configFrom({}, { VIBEWATCH_GRPC_PORT: '4500' }).grpcPort, 4500);
    assert.equal(configFrom({ 'grpc-port': '0' }, {}).grpcPort, 0);
    assert.equal(configFrom({ 'grpc-port': 'auto' }, {}).grpcPort, 'auto');
    for (const bad of ['70000', '-1', 'grpc', '4317.5', '']) assert.throws(() => configFrom({ 'grpc-port': bad }, {}), /--grpc-port must be an integer 0..65535/, bad);
    assert.throws(() => configFrom({ 'grpc-port': true }, {}), /--grpc-port/);
  });

  it('refuses --allow-remote without a key on loopback too (an empty key counts as none)', () => {
    assert.throws(() => configFrom({ 'allow-remote': true }, {}), /--allow-remote needs an API key/);
    assert.throws(() => configFrom({ 'allow-remote': true }, { VIBEWATCH_API_KEY: '' }), /--allow-remote needs an API key/);
    assert.throws(() => configFrom({}, { VIBEWATCH_ALLOW_REMOTE: '1' }), /--allow-remote needs an API key/);
  });

  it('never takes the API key from argv; reads it from --api-key-file or $VIBEWATCH_API_KEY', () => {
    assert.throws(() => configFrom({ 'allow-remote': true, 'api-key': 'k' }, {}), /--api-key is not accepted/);
    const dir = mkdtempSync(join(tmpdir(), 'vw-key-'));
    try {
      const file = join(dir, 'key');
      writeFileSync(file, '  file-key\n', { mode: 0o600 });
      assert.equal(configFrom({ 'allow-remote': true, 'api-key-file': file }, { VIBEWATCH_API_KEY: 'env-key' }).apiKey, 'file-key');
      assert.equal(configFrom({ 'allow-remote': true }, { VIBEWATCH_API_KEY: 'env-key' }).apiKey, 'env-key');
      writeFileSync(file, '\n');
      assert.throws(() => configFrom({ 'allow-remote': true, 'api-key-file': file }, {}), /is empty/);
      assert.throws(() => configFrom({ 'api-key-file': join(dir, 'missing') }, {}), /cannot be read \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
