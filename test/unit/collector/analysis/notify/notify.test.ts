import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookNotifier } from '../../../../../collector/analysis/notify/notify';
import type { AlertView } from '../../../../../collector/analysis/alerts/types';
import { HOSTILE, renderSlack } from '../../../../harness/renderedSinks';

const ALERT: AlertView = {
  key: 'default.endpoint-error-rate|checkout POST /pay', ruleId: 'default.endpoint-error-rate', title: 'High error rate', severity: 'warning', state: 'firing',
  subject: 'checkout POST /pay', service: 'checkout', value: 0.3, text: 'POST /pay on checkout: 30.0% errors over 5 min (120 calls)', pendingSinceMs: 0, lastEvalMs: 0,
};

/** A local webhook receiver that answers the given status codes in turn (then 200). */
async function receiver(codes: number[]) {
  const hits: { at: number; body: unknown; type?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hits.push({ at: Date.now(), body: JSON.parse(body), type: req.headers['content-type'] });
      res.writeHead(codes.shift() ?? 200);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('analysis/notify', () => {
  it('POSTs a JSON body and retries 5xx with growing backoff until it is accepted', async () => {
    const rx = await receiver([503, 500]);
    const n = new WebhookNotifier({ webhooks: [{ url: rx.url }], baseDelayMs: 40 });
    try {
      n.notify({ type: 'alert.firing', alert: ALERT });
      await n.drain();
      assert.equal(rx.hits.length, 3);
      assert.equal(n.stats.sent, 1);
      assert.equal(n.stats.retries, 2);
      const gap1 = rx.hits[1].at - rx.hits[0].at, gap2 = rx.hits[2].at - rx.hits[1].at;
      assert.ok(gap1 >= 30 && gap2 >= 60, `backoff ${gap1} ms then ${gap2} ms`);
      const body = rx.hits[2].body as { source: string; type: string; alert: AlertView };
      assert.equal(body.source, 'vibewatch');
      assert.equal(body.type, 'alert.firing');
      assert.equal(body.alert.key, ALERT.key);
      assert.equal(rx.hits[0].type, 'application/json');
    } finally {
      await n.shutdown();
      await rx.close();
    }
  });

  it('sends a Slack-compatible { text, blocks } body when asked', async () => {
    const rx = await receiver([]);
    const n = new WebhookNotifier({ webhooks: [{ url: rx.url, format: 'slack' }] });
    try {
      n.notify({ type: 'alert.firing', alert: ALERT });
      await n.drain();
      const body = rx.hits[0].body as { text: string; blocks: { type: string; text: { type: string; text: string } }[] };
      assert.match(body.text, /\[warning\] High error rate — POST \/pay on checkout: 30\.0% errors/);
      assert.equal(body.blocks[0].text.type, 'mrkdwn');
    } finally {
      await n.shutdown();
      await rx.close();
    }
  });

  it('keeps hostile routes, titles and incident notes from adding Slack links or mentions', async () => {
    const rx = await receiver([]);
    const n = new WebhookNotifier({ webhooks: [{ url: rx.url, format: 'slack' }] });
    try {
      for (const h of HOSTILE) n.notify({ type: 'alert.firing', alert: { ...ALERT, title: h, text: `${h} on checkout: 30.0% errors`, subject: h } });
      await n.drain();
      assert.equal(rx.hits.length, HOSTILE.length);
      for (const hit of rx.hits) {
        const body = hit.body as { text: string; blocks: { text: { text: string } }[] };
        assert.deepEqual(renderSlack(body.text), { links: [], headings: 0, html: [], icons: [] }, body.text.slice(0, 80));
        assert.equal(body.blocks[0].text.text, body.text);
      }
    } finally {
      await n.shutdown();
      await rx.close();
    }
  });

  it('gives up after maxAttempts and does not retry a 4xx', async () => {
    const rx = await receiver([500, 500, 500, 400]);
    const n = new WebhookNotifier({ webhooks: [{ url: rx.url }], baseDelayMs: 5, maxAttempts: 3 });
    try {
      n.notify({ type: 'alert.firing', alert: ALERT });
      await n.drain();
      assert.equal(rx.hits.length, 3);
      assert.equal(n.stats.failed, 1);
      n.notify({ type: 'alert.resolved', alert: ALERT });
      await n.drain();
      assert.equal(rx.hits.length, 4);
      assert.equal(n.stats.failed, 2);
      assert.match(n.stats.lastError!, /HTTP 400/);
    } finally {
      await n.shutdown();
      await rx.close();
    }
  });

  it('never blocks the caller and bounds its queue, dropping the oldest', async () => {
    const rx = await receiver([]);
    const n = new WebhookNotifier({ webhooks: [{ url: rx.url }], maxQueue: 5 });
    try {
      const t = process.hrtime.bigint();
      for (let i = 0; i < 50; i++) n.notify({ type: 'alert.firing', alert: { ...ALERT, value: i } });
      assert.ok(Number(process.hrtime.bigint() - t) / 1e6 < 50, 'notify returns at once');
      await n.drain();
      assert.ok(n.stats.dropped >= 40, `dropped ${n.stats.dropped}`);
      assert.equal((rx.hits[rx.hits.length - 1].body as { alert: AlertView }).alert.value, 49, 'the newest is delivered');
    } finally {
      await n.shutdown();
      await rx.close();
    }
  });

  it('filters by event type and minimum severity', async () => {
    const rx = await receiver([]);
    const n = new WebhookNotifier({ webhooks: [{ url: rx.url, events: ['alert.resolved'] }, { url: rx.url, minSeverity: 'critical' }] });
    try {
      n.notify({ type: 'alert.firing', alert: ALERT });
      await n.drain();
      assert.equal(rx.hits.length, 0);
      n.notify({ type: 'alert.resolved', alert: ALERT });
      await n.drain();
      assert.equal(rx.hits.length, 1);
    } finally {
      await n.shutdown();
      await rx.close();
    }
  });
});
