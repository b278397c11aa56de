import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../../../collector/config';
import { LiveClient } from '../../../../collector/live/client';
import { secretFrom } from '../../../../collector/live/secretFile';
import type { ChangeTopic, Events } from '../../../../collector/live/protocol';
import { runCollector, type CollectorPlugin } from '../../../../collector/server/run';
import { MemoryStore } from './memoryStore';
import { makeSpans, sendSpans } from './otelPayloads';
import { post } from './harness';

describe('runCollector', () => {
  it('wires plugin processors, handlers, routes, batch observers, change notices and shutdown hooks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-run-'));
    const store = new MemoryStore();
    const calls: string[] = [];
    let notify!: (c: { topics?: ChangeTopic[] }) => void;
    const plugin: CollectorPlugin = {
      name: 'test',
      setup(ctx) {
        notify = ctx.notifyChanged;
        return {
          processors: [{ name: 'mark', fn: (b) => { for (const s of b.spans) s.attributes.marked = true; } }],
          handlers: { filesWithData: () => ({ files: ['/from/plugin.ts'] }) },
          routes: [{ prefix: '/plugin', handler: (_q, r) => r.end('plugin page') }],
          onBatch: (b) => calls.push(`batch:${b.spans.length}`),
          shutdown: async () => { calls.push(`shutdown:store-open=${store.shutdowns === 0}`); },
        };
      },
    };
    const lines: Record<string, unknown>[] = [];
    let stop!: (reason: string) => void;
    const stopSignal = new Promise<string>((r) => (stop = r));
    const running = runCollector({ ...defaultConfig({}), port: 0, storage: dir }, { print: (l) => lines.push(JSON.parse(l)), plugins: [plugin], makeStore: () => store, stopSignal });
    try {
      while (!lines.some((l) => l.event === 'listening')) await new Promise((r) => setTimeout(r, 5));
      const port = Number(lines.find((l) => l.event === 'listening')!.port);
      const url = `http://127.0.0.1:${port}`;
      await sendSpans(url, 'json', await makeSpans());
      assert.equal(store.spans.every((s) => s.attributes.marked === true), true);
      assert.deepEqual(calls, ['batch:3']);
      assert.equal((await post(url, '/plugin', '', {}, { method: 'GET' })).body.toString(), 'plugin page');
      const client = new LiveClient({ port, secret: secretFrom(dir) });
      await client.connect();
      const changed: Events['changed'][] = [];
      client.on('changed', (d) => changed.push(d));
      assert.deepEqual(await client.request('filesWithData', {}), { files: ['/from/plugin.ts'] });
      notify({ topics: ['alerts'] });
      for (let i = 0; i < 100 && !changed.some((c) => c.topics.includes('alerts')); i++) await new Promise((r) => setTimeout(r, 10));
      // Coalesced with the spans notice when it falls in the same batch interval.
      assert.ok(changed.some((c) => c.topics.includes('alerts')), JSON.stringify(changed));
      client.dispose();
    } finally {
      stop('test');
      assert.equal(await running, 0);
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(calls, ['batch:3', 'shutdown:store-open=true']);
    assert.equal(store.shutdowns, 1);
    assert.deepEqual(lines.map((l) => l.event).slice(-2), ['stopping', 'stopped']);
  });

  it('refuses an unusable storage folder with exit code 4 and a message naming the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vw-run-bad-'));
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const lines: Record<string, unknown>[] = [];
    try {
      const code = await runCollector({ ...defaultConfig({}), port: 0, storage: join(file, 'data') }, { print: (l) => lines.push(JSON.parse(l)), stopSignal: new Promise(() => undefined) });
      assert.equal(code, 4);
      const failed = lines.find((l) => l.event === 'start-failed');
      assert.ok(failed, JSON.stringify(lines));
      assert.equal(failed.reason, 'storage');
      assert.match(String(failed.message), /storage folder .*not-a-folder\/data cannot be used \(ENOTDIR/);
      assert.ok(!lines.some((l) => l.event === 'listening'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
