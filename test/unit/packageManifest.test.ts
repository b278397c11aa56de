// package.json's security contract: the settings a cloned repository must not set are machine-
// or application-scoped (VS Code ignores them in `.vscode/settings.json`), and the workspace
// trust capability is declared on purpose, with those settings listed as restricted.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const props = manifest.contributes.configuration.properties;

/** Where telemetry goes, who may reach the collector, which files and regexes it trusts. */
const SECURITY_SETTINGS = [
  'vibewatch.alerts.webhookUrl',
  'vibewatch.alerts.slackFormat',
  'vibewatch.collector.host',
  'vibewatch.collector.allowRemote',
  'vibewatch.collector.apiKey',
  'vibewatch.pathMappings',
  'vibewatch.aiDiffs.extraPatterns',
  // Where this machine's collector connects with the team token: a repository must not
  // point it (and the token) at a host of its choosing.
  'vibewatch.team.url',
];

describe('package.json security settings', () => {
  for (const key of SECURITY_SETTINGS) {
    it(`${key} is machine or application scoped, so a repository cannot set it`, () => {
      assert.ok(props[key], `${key} is contributed`);
      assert.ok(['machine', 'application'].includes(props[key].scope ?? ''), `${key} has scope ${props[key].scope ?? '(window, the default)'}`);
    });
  }

  it('declares limited support for untrusted workspaces with a description', () => {
    const u = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(u?.supported, 'limited');
    assert.ok(u?.description && u.description.length > 20);
  });

  it('restricts every security setting and every collector and storage setting in untrusted workspaces', () => {
    const restricted = new Set(manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []);
    const expected = [...SECURITY_SETTINGS, ...Object.keys(props).filter((k) => k.startsWith('vibewatch.collector.') || k.startsWith('vibewatch.storage.'))];
    assert.deepEqual(expected.filter((k) => !restricted.has(k)), []);
    for (const k of restricted) assert.ok(props[k], `${k} is a contributed setting`);
  });
});
