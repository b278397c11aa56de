// Which maintained instrumentations the register loads: only those of modules the app can
// resolve from its folder, real instances of the maintained packages.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANDIDATES, resolvable, selectInstrumentations } from '../../../register/instrumentations';
import { REPO } from './spawnApp';

describe('register instrumentation selection', () => {
  it('loads nothing for an app folder that resolves none of the modules', () => {
    const empty = mkdtempSync(join(tmpdir(), 'vw-instr-'));
    try {
      const warnings: string[] = [];
      const s = selectInstrumentations([empty], (l) => warnings.push(l));
      assert.deepEqual(s.modules, []);
      assert.equal(s.instrumentations.length, 0);
      assert.deepEqual(warnings, []);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('instruments the Express that NestJS\'s adapter brings when the app itself cannot resolve express (pnpm, a version conflict)', () => {
    const app = mkdtempSync(join(tmpdir(), 'vw-instr-nest-'));
    const adapter = join(app, 'node_modules', '@nestjs', 'platform-express');
    const own = join(adapter, 'node_modules', 'express');
    mkdirSync(own, { recursive: true });
    writeFileSync(join(adapter, 'package.json'), JSON.stringify({ name: '@nestjs/platform-express', version: '10.4.22', main: 'index.js' }));
    writeFileSync(join(own, 'package.json'), JSON.stringify({ name: 'express', version: '4.22.1', main: 'index.js' }));
    writeFileSync(join(own, 'index.js'), 'module.exports = {};\n');
    const s = selectInstrumentations([app], () => undefined);
    try {
      assert.equal(resolvable('express', [app]), false, 'the app folder alone does not resolve express');
      assert.deepEqual(s.modules, ['express']);
      assert.equal(s.framework, true);
      assert.deepEqual(s.instrumentations.map((i) => i.instrumentationName), ['@opentelemetry/instrumentation-express']);
    } finally {
      s.instrumentations.forEach((i) => i.disable());
      rmSync(app, { recursive: true, force: true });
    }
  });

  it('loads the maintained instrumentation of each module the app resolves, once per package', () => {
    const warnings: string[] = [];
    const s = selectInstrumentations([REPO], (l) => warnings.push(l));
    try {
      check(s, warnings);
    } finally {
      s.instrumentations.forEach((i) => i.disable()); // they hook require in this process
    }
  });
});

function check(s: ReturnType<typeof selectInstrumentations>, warnings: string[]): void {
  assert.deepEqual(warnings, []);
  for (const m of ['express', 'fastify', 'pg']) assert.ok(s.modules.includes(m), `${m} in ${s.modules.join(',')}`);
  const names = s.instrumentations.map((i) => i.instrumentationName);
  assert.ok(names.includes('@opentelemetry/instrumentation-express'));
  assert.ok(names.includes('@opentelemetry/instrumentation-pg'));
  assert.ok(names.includes('@fastify/otel'));
  assert.equal(new Set(names).size, names.length);
  for (const c of CANDIDATES) assert.equal(s.modules.includes(c.module), resolvable(c.module, [REPO]) && !(c.module === '@redis/client' && s.modules.includes('redis')));
}
