import { strict as assert } from 'node:assert';
import { ConfigError, defaultConfig } from '../../../../collector/config';
import { checkAnalysisSettings } from '../../../../collector/process/analysisSettingsCheck';
import { analysisSettings, statusPageSettings, teamAnalysisSettings } from '../../../../collector/process/settings';
import { teamSettings } from '../../../../collector/process/teamComponent';
import { liveUrlOf } from '../../../../collector/live/client';

const withFlags = (flags: Record<string, string | true>) => ({ ...defaultConfig({}), flags });
const configError = (fn: () => unknown, want: RegExp) => assert.throws(fn, (e: unknown) => e instanceof ConfigError && want.test(e.message));

describe('component settings (checked once at start)', () => {
  it('takes the settings the extension and the demo pass', () => {
    assert.deepEqual(analysisSettings(withFlags({ 'slow-query-ms': '150', 'n-plus-one': '6', 'incident-severity': 'warning' })), { slowQueryMs: 150, nPlusOneMin: 6, incidentSeverity: 'warning' });
    const demo = { trend: { minPoints: 4 }, rules: [{ id: 'x' }], webhooks: [{ url: 'http://127.0.0.1:9/h', format: 'slack', events: ['alert.firing'] }], limits: { '*heap*': 1e9 }, memoryMetrics: ['*rss*'] };
    assert.deepEqual(analysisSettings(withFlags({ 'analysis-settings': JSON.stringify(demo) })), demo);
    assert.deepEqual(statusPageSettings(withFlags({ 'status-title': 'Shop', 'status-refresh-sec': '0' })), { title: 'Shop', refreshSec: 0 });
  });

  it('names the field that is unknown or of the wrong type, nested ones too', () => {
    configError(() => checkAnalysisSettings({ tickIntervalMsx: 5 }), /tickIntervalMsx is not an analysis setting/);
    configError(() => checkAnalysisSettings({ robust: { threshold: -1 } }), /robust\.threshold must be a finite number >= 0/);
    configError(() => checkAnalysisSettings({ robust: { thresh: 1 } }), /robust\.thresh is not a setting \(known: threshold/);
    configError(() => checkAnalysisSettings({ robust: { direction: 'sideways' } }), /robust\.direction must be one of both, up, down/);
    configError(() => checkAnalysisSettings({ autoResolveIncidents: 'yes' }), /autoResolveIncidents must be a boolean \(got string\)/);
    configError(() => checkAnalysisSettings({ webhooks: [{ format: 'slack' }] }), /webhooks\[0\] needs a "url" string/);
    configError(() => checkAnalysisSettings({ webhooks: [{ url: 'http://127.0.0.1:9', format: 'xml' }] }), /webhooks\[0\]\.format must be json or slack/);
    configError(() => checkAnalysisSettings({ limits: { '*heap*': 'big' } }), /limits must map metric-name globs to numbers/);
    configError(() => checkAnalysisSettings([1]), /must be a JSON object/);
  });

  it('refuses bad numbers and names the user setting behind each flag', () => {
    configError(() => analysisSettings(withFlags({ 'slow-query-ms': 'fast' })), /--slow-query-ms \(setting vibewatch\.thresholds\.slowQueryMs\) must be a number >= 0/);
    configError(() => analysisSettings(withFlags({ 'n-plus-one': '-2' })), /vibewatch\.thresholds\.nPlusOne/);
    configError(() => analysisSettings(withFlags({ 'analysis-settings': true })), /--analysis-settings needs a value/);
    configError(() => statusPageSettings(withFlags({ 'status-refresh-sec': '-5' })), /--status-refresh-sec must be a number >= 0/);
  });
});

describe('team analysis settings', () => {
  it('takes the lease, poll and checkpoint intervals; the settle wait follows the lease', () => {
    assert.deepEqual(teamAnalysisSettings(withFlags({ 'team-analysis-lease-ms': '3000', 'team-analysis-poll-ms': '200', 'team-analysis-checkpoint-ms': '1000' })), { leaseTtlMs: 3000, leaseSettleMs: 300, pollMs: 200, checkpointMs: 1000 });
    assert.deepEqual(JSON.parse(JSON.stringify(teamAnalysisSettings(withFlags({})))), {});
  });

  it('refuses a lease too short to settle, and non-numbers, naming the flag', () => {
    configError(() => teamAnalysisSettings(withFlags({ 'team-analysis-lease-ms': '50' })), /--team-analysis-lease-ms must be a number of milliseconds >= 300/);
    configError(() => teamAnalysisSettings(withFlags({ 'team-analysis-poll-ms': 'soon' })), /--team-analysis-poll-ms/);
    configError(() => teamAnalysisSettings(withFlags({ 'team-analysis-checkpoint-ms': true })), /--team-analysis-checkpoint-ms/);
  });
});

describe('team settings', () => {
  it('takes the team URL with its token from the environment or a file, never without one', () => {
    assert.deepEqual(teamSettings({ flags: { 'team-url': 'https://team.example.test' } }, { VIBEWATCH_TEAM_TOKEN: 't0k' }), { url: 'https://team.example.test', token: 't0k' });
    assert.equal(teamSettings({ flags: {} }, {}), undefined);
    configError(() => teamSettings({ flags: { 'team-url': 'https://team.example.test' } }, {}), /needs the team token/);
    configError(() => teamSettings({ flags: { 'team-url': 'ftp://x' } }, { VIBEWATCH_TEAM_TOKEN: 't' }), /--team-url \(setting vibewatch\.team\.url\) must be an http\(s\):\/\/ address/);
    configError(() => teamSettings({ flags: { 'team-url': 'http://x', 'team-token-file': '/nonexistent/token' } }, {}), /--team-token-file \/nonexistent\/token cannot be read \(ENOENT\)/);
  });

  it('turns a collector address into its /live WebSocket URL (https → wss, prefix kept)', () => {
    assert.equal(liveUrlOf('http://127.0.0.1:4318'), 'ws://127.0.0.1:4318/live');
    assert.equal(liveUrlOf('https://team.example.test/vibewatch/'), 'wss://team.example.test/vibewatch/live');
    assert.equal(liveUrlOf('wss://team.example.test/live?x=1'), 'wss://team.example.test/live');
    assert.throws(() => liveUrlOf('file:///etc'), /not an http\(s\) or ws\(s\) address/);
  });
});
