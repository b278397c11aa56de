import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inferRoute } from '../../../register/route';
import { describeQuery } from '../../../register/sqlJs';
import { endpointFor, gitRevision, packageName, protocolFor } from '../../../register/config';
import { isAppFile } from '../../../register/stackFrame';

describe('register: route inference', () => {
  it('replaces numeric, hex and uuid segments with :id and drops the query', () => {
    assert.equal(inferRoute('/orders/123?x=1'), '/orders/:id');
    assert.equal(inferRoute('/u/3f2a9c0d-1b2c-4d5e-8f90-123456789abc/items/deadbeef01'), '/u/:id/items/:id');
    assert.equal(inferRoute('/customers/lookup?email=a@b'), '/customers/lookup');
  });
});

describe('register: sql.js span names', () => {
  it('takes the operation and the first table', () => {
    assert.deepEqual(describeQuery('  select a from order_items where x = ?'), { operation: 'SELECT', table: 'order_items' });
    assert.deepEqual(describeQuery('INSERT INTO orders (a) VALUES (?)'), { operation: 'INSERT', table: 'orders' });
    assert.deepEqual(describeQuery('CREATE TABLE IF NOT EXISTS t (a)'), { operation: 'CREATE', table: 't' });
    assert.deepEqual(describeQuery('BEGIN'), { operation: 'BEGIN' });
  });
});

describe('register: configuration', () => {
  it('sends to 127.0.0.1:4318 unless an OTEL endpoint variable is set', () => {
    assert.equal(endpointFor('traces', {}), 'http://127.0.0.1:4318/v1/traces');
    assert.equal(endpointFor('traces', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:1' }), undefined);
    assert.equal(endpointFor('logs', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://x:1/v1/logs' }), undefined);
    assert.equal(endpointFor('metrics', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://x:1/v1/logs' }), 'http://127.0.0.1:4318/v1/metrics');
  });

  it('uses protobuf unless http/json is asked for', () => {
    assert.equal(protocolFor('traces', {}), 'http/protobuf');
    assert.equal(protocolFor('traces', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), 'http/json');
    assert.equal(protocolFor('logs', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' }), 'http/protobuf');
  });

  it('finds the nearest package.json name above a folder and strips the scope', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-cfg-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/orders' }));
      mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
      assert.equal(packageName(join(dir, 'src', 'deep')), 'orders');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('omits the revision outside a git repository', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-nogit-'));
    try {
      assert.equal(gitRevision(dir), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('register: app frames', () => {
  it('skips node internals and dependencies', () => {
    assert.equal(isAppFile('node:internal/process/task_queues'), false);
    assert.equal(isAppFile('/app/node_modules/express/lib/router.js'), false);
    assert.equal(isAppFile('/app/src/routes/orders.js'), true);
  });
});
