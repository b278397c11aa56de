// scripts/toolsCacheLock.sh, as scripts/ensure-tools.sh uses it: two runs on one cache never
// install at the same time, and an install is either complete or absent. The steps here are
// small fake ones (the real installs take minutes and the network).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const LIB = path.resolve(__dirname, '../../../scripts/toolsCacheLock.sh');

/** `log`/`fail` as ensure-tools.sh defines them, then the helper, then `body`. */
const script = (body: string) => `set -euo pipefail
log() { printf '[ensure-tools] %s\\n' "$*"; }
fail() { printf '[ensure-tools] FAILED: %s\\n' "$1" >&2; exit 1; }
. "$LIB"
${body}`;

interface Run {
  pid: number;
  done: Promise<{ code: number | null; signal: string | null; out: string }>;
  killGroup(): void;
}

function run(body: string, env: Record<string, string>): Run {
  // detached: its own process group, so a kill also ends the step's `sleep`.
  const child = spawn('bash', ['-c', script(body)], { env: { ...process.env, LIB, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, out })));
  return { pid: child.pid!, done, killGroup: () => process.kill(-child.pid!, 'SIGKILL') };
}

async function until(what: string, test: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A fake install step under the lock: records its start and end (ns) into $RECORD. */
const LOCKED_STEP = `tools_lock "$CACHE"
printf 'start %s %s\\n' "$$" "$(date +%s%N)" >> "$RECORD"
sleep 0.5
printf 'end %s %s\\n' "$$" "$(date +%s%N)" >> "$RECORD"`;

function intervals(record: string): Map<string, { start: bigint; end: bigint }> {
  const byPid = new Map<string, { start: bigint; end: bigint }>();
  for (const line of fs.readFileSync(record, 'utf8').trim().split('\n')) {
    const [what, pid, ns] = line.split(' ');
    const it = byPid.get(pid) ?? { start: -1n, end: -1n };
    it[what as 'start' | 'end'] = BigInt(ns);
    byPid.set(pid, it);
  }
  return byPid;
}

function assertNoOverlap(record: string): void {
  const all = [...intervals(record).values()].sort((a, b) => (a.start < b.start ? -1 : 1));
  assert.equal(all.length, 2, fs.readFileSync(record, 'utf8'));
  for (const i of all) assert.ok(i.start > 0n && i.end >= i.start, fs.readFileSync(record, 'utf8'));
  assert.ok(all[0].end <= all[1].start, `the second run started ${(all[0].end - all[1].start) / 1_000_000n} ms before the first ended`);
}

describe('ensure-tools cache lock (scripts/toolsCacheLock.sh)', function () {
  this.timeout(30_000);
  let tmp: string;
  let cache: string;
  let record: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vw-toolslock-'));
    cache = path.join(tmp, 'cache');
    record = path.join(tmp, 'record');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('runs two runs started at once one after the other', async () => {
    const a = run(LOCKED_STEP, { CACHE: cache, RECORD: record });
    const b = run(LOCKED_STEP, { CACHE: cache, RECORD: record });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.deepEqual([ra.code, rb.code], [0, 0], ra.out + rb.out);
    assertNoOverlap(record);
  });

  it('makes a second run wait, naming the pid of the run that holds the lock', async () => {
    const first = run(LOCKED_STEP, { CACHE: cache, RECORD: record });
    await until('the first run to start its step', () => fs.existsSync(record));
    const second = run(LOCKED_STEP, { CACHE: cache, RECORD: record });
    const [r1, r2] = await Promise.all([first.done, second.done]);
    assert.deepEqual([r1.code, r2.code], [0, 0], r1.out + r2.out);
    assertNoOverlap(record);
    assert.doesNotMatch(r1.out, /waiting/);
    assert.match(r2.out, new RegExp(`waiting for another ensure-tools run \\(pid ${first.pid}\\)`));
  });

  it('lets the next run in when the holder is killed, and removes what it left half-installed', async () => {
    const tool = path.join(cache, 'tool');
    const body = `tools_lock "$CACHE"
half() { echo half > "$1/bin"; sleep 30; echo whole >> "$1/bin"; }
install_atomically "$CACHE/tool" half`;
    const killed = run(body, { CACHE: cache });
    await until('the step to have written half of the tool', () => fs.existsSync(cache) && fs.readdirSync(cache).some((f) => f.startsWith('tool.partial.') && fs.existsSync(path.join(cache, f, 'bin'))));
    killed.killGroup();
    assert.equal((await killed.done).signal, 'SIGKILL');
    assert.equal(fs.existsSync(tool), false, 'an interrupted install must not leave the tool in place');

    const next = await run(`tools_lock "$CACHE"; ls -A "$CACHE"`, { CACHE: cache }).done;
    assert.equal(next.code, 0, next.out);
    assert.match(next.out, /removing .*tool\.partial\.\d+ \(left by an interrupted run\)/);
    assert.deepEqual(fs.readdirSync(cache).sort(), ['.ensure-tools.lock']);
  });

  it('keeps the complete install when a new install step fails, and leaves no temp folder', async () => {
    const tool = path.join(cache, 'tool');
    fs.mkdirSync(tool, { recursive: true });
    fs.writeFileSync(path.join(tool, 'bin'), 'old\n');
    const body = `tools_lock "$CACHE"
broken() { echo new > "$1/bin"; false; }
install_atomically "$CACHE/tool" broken`;
    const r = await run(body, { CACHE: cache }).done;
    assert.notEqual(r.code, 0);
    assert.equal(fs.readFileSync(path.join(tool, 'bin'), 'utf8'), 'old\n');
    assert.deepEqual(fs.readdirSync(cache).sort(), ['.ensure-tools.lock', 'tool']);
  });

  it('replaces the tool with the new install once its step succeeded', async () => {
    const tool = path.join(cache, 'tool');
    fs.mkdirSync(tool, { recursive: true });
    fs.writeFileSync(path.join(tool, 'stale'), '');
    const body = `tools_lock "$CACHE"
good() { printf '%s\\n' "$2" > "$1/bin"; }
install_atomically "$CACHE/tool" good v2
echo after`;
    const r = await run(body, { CACHE: cache }).done;
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /after/);
    assert.deepEqual(fs.readdirSync(tool), ['bin']);
    assert.equal(fs.readFileSync(path.join(tool, 'bin'), 'utf8'), 'v2\n');
    assert.deepEqual(fs.readdirSync(cache).sort(), ['.ensure-tools.lock', 'tool']);
  });
});
