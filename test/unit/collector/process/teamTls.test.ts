// Team mode over TLS, as docs/team.md deploys it: the team collector on loopback behind a
// TLS-terminating reverse proxy (here a Node https server passing requests and the /live
// WebSocket upgrade through), a certificate from the team's own CA (made here with openssl).
// The teammate's collector process, given `--team-url https://…`, reaches it over wss with
// the token on the upgrade, trusting the CA through NODE_EXTRA_CA_CERTS; without that CA it
// refuses the connection and says why, rather than falling back to anything unverified.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LiveClient } from '../../../../collector/live/client';
import { secretFrom } from '../../../../collector/live/secretFile';
import { TempRepo, lines } from '../git/repo';
import { eventually, startRealCollector, type RealCollector } from '../../../harness/realCollector';

const ROOT = join(__dirname, '..', '..', '..', '..');
const KEY = 'team-tls-key-7d1e40b2c9';

/** A TLS proxy in front of `target` (http://127.0.0.1:port): requests and upgrades passed on. */
function tlsProxy(target: number, key: string, cert: string): Promise<{ server: https.Server; port: number; upgrades: http.IncomingHttpHeaders[] }> {
  const upgrades: http.IncomingHttpHeaders[] = [];
  const server = https.createServer({ key, cert }, (req, res) => {
    const up = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    upgrades.push(req.headers);
    const back = net.connect(target, '127.0.0.1', () => {
      const headers = Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : [`${k}: ${v}`]));
      back.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) back.write(head);
      back.pipe(socket);
      socket.pipe(back);
    });
    back.on('error', () => socket.destroy());
    socket.on('error', () => back.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port, upgrades })));
}

interface Child { proc: ChildProcess; client: LiveClient; storage: string }

/** The teammate's collector as the extension runs it: its own process, its own env. */
async function teammate(workspace: string, teamUrl: string, tokenFile: string, env: NodeJS.ProcessEnv): Promise<Child> {
  const storage = mkdtempSync(join(tmpdir(), 'vw-teammate-'));
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'collectorProcess.js'), '--port', '0', '--grpc-port', '0', '--storage', storage, '--workspace', workspace, '--team-url', teamUrl, '--team-token-file', tokenFile],
    { env: { PATH: process.env.PATH, HOME: storage, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const port = await eventually('the teammate collector listening', async () => {
    const line = out.split('\n').find((l) => l.includes('"event":"listening"'));
    return line ? Number((JSON.parse(line) as { port: number }).port) : undefined;
  }, 30_000, () => out);
  const client = new LiveClient({ port, secret: secretFrom(storage) });
  await client.connect();
  return { proc, client, storage };
}

async function stopChild(c: Child | undefined): Promise<void> {
  if (!c) return;
  c.client.dispose();
  if (c.proc.exitCode === null) {
    const exited = new Promise((r) => c.proc.once('exit', r));
    c.proc.kill('SIGTERM');
    await exited;
  }
  rmSync(c.storage, { recursive: true, force: true });
}

describe('team mode over TLS: a teammate reaches the team collector through an https reverse proxy', function () {
  this.timeout(90_000);
  let tmp: string;
  let repo: TempRepo;
  let team: RealCollector;
  let proxy: Awaited<ReturnType<typeof tlsProxy>>;
  const children: Child[] = [];

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vw-team-tls-'));
    // The team's CA and the proxy's certificate for 127.0.0.1, signed by it.
    const sh = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp, stdio: 'ignore' });
    sh('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Team CA');
    sh('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(tmp, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    sh('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
    writeFileSync(join(tmp, 'token'), KEY + '\n', { mode: 0o600 });

    repo = new TempRepo();
    repo.write('app.js', lines(1, 10));
    const deployed = repo.commit('orders handler');
    const checkout = join(tmp, 'checkout');
    execFileSync('git', ['clone', '-q', repo.dir, checkout], { env: repo.env, stdio: 'ignore' });
    team = await startRealCollector({ workspace: checkout, config: { allowRemote: true, apiKey: KEY } });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop', 'vcs.ref.head.revision': deployed }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${team.url}/v1/traces`, headers: { 'x-vibewatch-key': KEY } }))],
    });
    const tracer = provider.getTracer('prod');
    for (let i = 0; i < 12; i++) tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, attributes: { 'code.file.path': join(checkout, 'app.js'), 'code.line.number': 4, 'http.route': '/orders' } }).end();
    await provider.shutdown();
    proxy = await tlsProxy(team.port, readFileSync(join(tmp, 'server.key'), 'utf8'), readFileSync(join(tmp, 'server.pem'), 'utf8'));
  });
  after(async () => {
    for (const c of children) await stopChild(c);
    await new Promise<void>((r) => (proxy ? proxy.server.close(() => r()) : r()));
    proxy?.server.closeAllConnections?.();
    await team?.stop();
    repo?.cleanup();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('over wss with the token, trusting the team CA: the production figures arrive', async () => {
    const c = await teammate(repo.dir, `https://127.0.0.1:${proxy.port}`, join(tmp, 'token'), { NODE_EXTRA_CA_CERTS: join(tmp, 'ca.pem') });
    children.push(c);
    const got = await eventually('production figures over TLS', async () => {
      const s = await c.client.request('teamFileSummary', { file: join(repo.dir, 'app.js') });
      return s.lines.length ? s : undefined;
    }, 30_000);
    assert.deepEqual(got.lines.map((l) => [l.line, l.calls]), [[4, 12]]);
    // The /live upgrade went through the TLS proxy and carried the token.
    assert.ok(proxy.upgrades.some((h) => h.upgrade === 'websocket' && JSON.stringify(h).includes(KEY)), JSON.stringify(proxy.upgrades));
  });

  it('without the team CA the certificate is refused, and the lens says why', async () => {
    const c = await teammate(repo.dir, `https://127.0.0.1:${proxy.port}`, join(tmp, 'token'), {});
    children.push(c);
    const before = proxy.upgrades.length;
    const got = await eventually('the reason', async () => {
      const s = await c.client.request('teamFileSummary', { file: join(repo.dir, 'app.js') });
      return s.unavailable && /certificate/i.test(s.unavailable) ? s : undefined;
    }, 30_000);
    assert.deepEqual(got.lines, []);
    assert.equal(proxy.upgrades.length, before, 'no WebSocket upgrade (no token) was sent over the unverified connection');
  });
});
