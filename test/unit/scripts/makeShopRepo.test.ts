import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeShopRepo, SHOP_SOURCE, type ShopRepo } from '../../../scripts/makeShopRepo';
import { SHOP_HISTORY } from '../../../examples/shop/history';
import { parseLog, LOG_FORMAT } from '../../../collector/git/log';
import { AiPatterns } from '../../../collector/git/patterns';

describe('makeShopRepo', function () {
  this.timeout(30_000);
  let tmp: string;
  let repo: ShopRepo;
  const git = (...a: string[]) => execFileSync('git', a, { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vw-shoprepo-'));
    repo = await makeShopRepo(join(tmp, 'shop'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('makes one commit per planned commit, in order, with fixed authors and dates', () => {
    assert.equal(repo.commits.length, SHOP_HISTORY.length);
    const log = git('log', '--reverse', '--format=%an <%ae>|%aI|%s').trim().split('\n');
    assert.deepEqual(log, SHOP_HISTORY.map((c) => `${c.author.name} <${c.author.email}>|${c.date}|${c.subject}`));
  });

  it('marks exactly the five fault commits as AI-assisted, as the collector reads trailers', () => {
    const commits = parseLog(git('log', `--format=${LOG_FORMAT}`));
    const patterns = new AiPatterns();
    const ai = commits.filter((c) => patterns.match(c)).map((c) => c.subject).sort();
    const faults = SHOP_HISTORY.filter((c) => c.fault).map((c) => c.subject).sort();
    assert.deepEqual(ai, faults);
    assert.equal(faults.length, 5);
    assert.deepEqual(new Set(SHOP_HISTORY.filter((c) => c.coAuthoredBy).map((c) => c.fault)), new Set(['n+1', 'slow-query', 'boundary-undefined', 'unbounded-cache', 'chatty-retry']));
  });

  it('ends with exactly the files of examples/shop/app', () => {
    const tracked = git('ls-files').trim().split('\n');
    for (const rel of tracked) assert.equal(readFileSync(join(repo.dir, rel), 'utf8'), readFileSync(join(SHOP_SOURCE, rel), 'utf8'), rel);
    assert.ok(tracked.includes('.vibewatch/runbooks/checkout-errors.md'));
    assert.equal(git('status', '--porcelain').trim(), '');
  });

  it('blames the N+1 loop on the AI commit and the query before it on the human one', () => {
    const blame = git('blame', '--porcelain', 'src/routes/orders.js');
    const nPlusOne = repo.commits.find((c) => c.fault === 'n+1')!;
    const first = repo.commits[0];
    const lineCommit = (needle: string) => {
      const lines = blame.split('\n');
      const i = lines.findIndex((l) => l === `\t${needle}` || l.startsWith(`\t${needle}`));
      for (let j = i; j >= 0; j--) if (/^[0-9a-f]{40} /.test(lines[j])) return lines[j].slice(0, 40);
      return undefined;
    };
    assert.equal(lineCommit('  for (const order of orders) {'), nPlusOne.sha);
    assert.equal(lineCommit("  const orders = db.prepare('SELECT id, customer_id"), first.sha);
  });

  it('is reproducible: the same history gives the same commit ids', async () => {
    const again = await makeShopRepo(join(tmp, 'again'));
    assert.deepEqual(again.commits.map((c) => c.sha), repo.commits.map((c) => c.sha));
  });

  it('refuses a folder that is not empty', async () => {
    await assert.rejects(makeShopRepo(repo.dir), /not empty/);
  });
});
