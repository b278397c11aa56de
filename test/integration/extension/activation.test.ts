import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'vibewatch.vibewatch';

describe('extension activation', () => {
  it('is present and activates in the extension host', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 10, 'contributes the palette commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    for (const c of contributed) assert.ok(c.startsWith('vibewatch.'), `${c} has the vibewatch. prefix`);
  });

  it('reads its configuration, including the workspace override of the collector port', () => {
    const cfg = vscode.workspace.getConfiguration('vibewatch');
    assert.equal(cfg.get('collector.host'), '127.0.0.1');
    assert.equal(cfg.inspect('collector.port')?.defaultValue, 4318);
    assert.equal(cfg.get('collector.port'), Number(process.env.VIBEWATCH_TEST_COLLECTOR_PORT));
    assert.equal(cfg.get('thresholds.slowQueryMs'), 200);
  });

  it('copies the OTLP endpoint of the configured collector', async () => {
    const endpoint = await vscode.commands.executeCommand<string>('vibewatch.copyEndpoint');
    assert.equal(endpoint, `http://127.0.0.1:${process.env.VIBEWATCH_TEST_COLLECTOR_PORT}`);
    assert.equal(await vscode.env.clipboard.readText(), endpoint);
  });
});

describe('copy environment variables', () => {
  const port = () => process.env.VIBEWATCH_TEST_COLLECTOR_PORT;
  // Back to the test workspace's value: a collector restarted by a later test reads it.
  afterEach(async () => {
    await vscode.workspace.getConfiguration('vibewatch').update('collector.grpcPort', 0, vscode.ConfigurationTarget.Workspace);
  });

  it('offers OTLP/HTTP on the collector port, and no gRPC while the gRPC receiver is off', async () => {
    // The test workspace turns the gRPC receiver off (tests never bind the fixed 4317).
    assert.equal(vscode.workspace.getConfiguration('vibewatch').inspect('collector.grpcPort')?.defaultValue, 4317);
    const text = await vscode.commands.executeCommand<string>('vibewatch.copyEnvVars');
    assert.equal(await vscode.env.clipboard.readText(), text);
    assert.match(text, new RegExp(`^OTEL_EXPORTER_OTLP_ENDPOINT=http://127\\.0\\.0\\.1:${port()}$`, 'm'));
    assert.match(text, /^OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf$/m);
    assert.doesNotMatch(text, /PROTOCOL=grpc/);
  });

  it('offers OTLP/gRPC on vibewatch.collector.grpcPort as the alternative', async () => {
    await vscode.workspace.getConfiguration('vibewatch').update('collector.grpcPort', 4317, vscode.ConfigurationTarget.Workspace);
    const text = await vscode.commands.executeCommand<string>('vibewatch.copyEnvVars');
    assert.match(text, new RegExp(`^OTEL_EXPORTER_OTLP_ENDPOINT=http://127\\.0\\.0\\.1:${port()}$`, 'm'));
    assert.match(text, /^# OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:4317$/m);
    assert.match(text, /^# OTEL_EXPORTER_OTLP_PROTOCOL=grpc$/m);
  });
});
