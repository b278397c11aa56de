import { strict as assert } from 'node:assert';
import type { AnomalyView, ErrorGroupView, Finding } from '../../../../collector/analysis/types';
import { buildDiagnostics } from '../../../../extension/overlays/diagnosticsModel';
import { CONTROL, HOSTILE } from '../../../harness/renderedSinks';

const FILE = '/ws/src/orders.ts';
const now = Date.UTC(2026, 0, 1, 12);
const HOUR = 3_600_000;

function group(o: Partial<ErrorGroupView> = {}): ErrorGroupView {
  return {
    id: 'g1234567890', type: 'TypeError', title: "Cannot read properties of undefined (reading 'trim')", state: 'ongoing', count: 12,
    firstSeenMs: now - HOUR, lastSeenMs: now - 5 * 60_000, services: ['shop'], revisions: [], members: [],
    samples: [{ atMs: now - 60_000, traceId: 'ab'.repeat(16), service: 'shop', type: 'TypeError', message: 'boom', fingerprint: 'f', source: 'spanEvent' }],
    location: { file: FILE, line: 12 }, ...o,
  };
}
const nPlusOne: Finding = {
  kind: 'nPlusOne', id: 'n1', service: 'shop', statement: 'SELECT * FROM items WHERE order_id = ?', parentName: 'GET /orders',
  occurrences: 3, maxRepeats: 25, lastRepeats: 20, totalTimeMs: 480, firstSeenMs: now - HOUR, lastSeenMs: now - 60_000,
  traceIds: ['cd'.repeat(16), 'ef'.repeat(16)], location: { file: FILE, line: 6 },
};

describe('buildDiagnostics', () => {
  it('puts an error group at its throwing line as an error with type, message and count', () => {
    const [d] = buildDiagnostics({ errors: [group()], findings: [], anomalies: [] }, now, HOUR).get(FILE)!;
    assert.equal(d.line, 11);
    assert.equal(d.severity, 'error');
    assert.match(d.message, /^TypeError: Cannot read properties of undefined \(reading 'trim'\) — 12×/);
    assert.match(d.message, /last seen 5 min ago/);
    assert.equal(d.code.command, 'vibewatch.openErrors');
    assert.deepEqual(d.code.args, [{ errorGroupId: 'g1234567890', groupId: 'g1234567890', file: FILE, line: 12 }]);
  });

  it('names the AI diff that wrote the throwing line', () => {
    const [d] = buildDiagnostics({ errors: [group({ attribution: { aiDiffId: 'x', summary: 'Claude, 2 h ago' } })], findings: [], anomalies: [] }, now, HOUR).get(FILE)!;
    assert.match(d.message, /AI diff Claude, 2 h ago$/);
  });

  it('drops error groups last seen longer ago than the stale limit, and resolved ones', () => {
    const out = buildDiagnostics({ errors: [group({ lastSeenMs: now - 2 * HOUR }), group({ id: 'r', state: 'resolved' })], findings: [], anomalies: [] }, now, HOUR);
    assert.equal(out.size, 0);
  });

  it('puts an N+1 at the issuing line as a warning, related to the repeated calls in their traces', () => {
    const [d] = buildDiagnostics({ errors: [], findings: [nPlusOne], anomalies: [] }, now, HOUR).get(FILE)!;
    assert.equal(d.line, 5);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /^N\+1 query: SELECT \* FROM items WHERE order_id = \? issued up to 25× under “GET \/orders”/);
    assert.equal(d.related.length, 2);
    assert.match(d.related[0].message, /repeated call: 20× in trace cdcdcdcd/);
    assert.equal(d.code.value, 'N+1');
  });

  it('puts an anomaly at its handler as a warning opening the metrics panel', () => {
    const a: AnomalyView = { seriesKey: 'k', signal: 'p95', kind: 'endpoint', service: 'shop', name: 'GET /orders', sinceMs: now - 120_000, value: 900, median: 100, mad: 10, score: 80, direction: 'up', location: { file: FILE, line: 3 }, text: 'p95 900 ms vs usual 100 ms' };
    const [d] = buildDiagnostics({ errors: [], findings: [], anomalies: [a] }, now, HOUR).get(FILE)!;
    assert.deepEqual([d.line, d.severity, d.message, d.code.command], [2, 'warning', 'Anomaly: p95 900 ms vs usual 100 ms', 'vibewatch.openMetrics']);
  });

  it('ignores results without a location', () => {
    const out = buildDiagnostics({ errors: [group({ location: undefined })], findings: [{ ...nPlusOne, location: undefined }], anomalies: [] }, now, HOUR);
    assert.equal(out.size, 0);
  });
});

describe('buildDiagnostics with hostile telemetry', () => {
  for (const h of HOSTILE) {
    it(`keeps ${JSON.stringify(h.slice(0, 40))} to one bounded line in messages and related messages`, () => {
      const g = group({ type: h, title: h, samples: [{ ...group().samples[0], service: h, message: h }] });
      const f: Finding = { ...nPlusOne, statement: h, parentName: h };
      const specs = [...buildDiagnostics({ errors: [g], findings: [f], anomalies: [] }, now, 24 * HOUR).values()].flat();
      assert.equal(specs.length, 2);
      for (const d of specs) {
        for (const m of [d.message, d.code.value, ...d.related.map((r) => r.message)]) {
          assert.ok(!CONTROL.test(m), JSON.stringify(m.slice(0, 80)));
          assert.ok(m.length <= 500);
        }
      }
    });
  }
});
