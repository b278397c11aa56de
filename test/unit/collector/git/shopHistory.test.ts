// The example shop's scripted history (examples/shop/history.ts) is the demo's real input:
// every AI-assisted commit must land in the ledger, no human commit may, and each fault
// an AI commit brought must sit inside that diff's current ranges.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlameCache } from '../../../../collector/git/blame';
import { AiDiffService, MemoryState } from '../../../../collector/git/aiDiffService';
import { Git } from '../../../../collector/git/git';
import type { AiDiffsResult } from '../../../../collector/git/types';
import { makeShopRepo, type ShopRepo } from '../../../../scripts/makeShopRepo';

describe('AI diffs of the example shop history', () => {
  let base: string;
  let home: string;
  let shop: ShopRepo;
  let result: AiDiffsResult;
  before(async function () {
    this.timeout(60_000);
    base = mkdtempSync(join(tmpdir(), 'vw-shop-git-'));
    home = mkdtempSync(join(tmpdir(), 'vw-shop-home-'));
    shop = await makeShopRepo(join(base, 'shop'));
    const env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    result = await new AiDiffService({ workspace: shop.dir, state: new MemoryState(), git: new Git({ cwd: shop.dir, env }) }).refresh();
  });
  after(() => {
    rmSync(base, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('finds exactly the co-authored commits', () => {
    const ai = shop.commits.filter((c) => c.coAuthoredBy).map((c) => c.sha).sort();
    assert.ok(ai.length > 0);
    assert.deepEqual(result.diffs.map((d) => d.commit).sort(), ai);
  });

  it('covers, in each diff, every line that blame still attributes to its commit', async () => {
    const env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    const blame = new BlameCache(new Git({ cwd: shop.dir, env }));
    let checked = 0;
    for (const d of result.diffs) {
      for (const f of d.files) {
        for (const l of await blame.blame(f.path)) {
          if (l.commit !== d.commit) continue;
          checked++;
          assert.ok(f.ranges.some((r) => r.start <= l.line && l.line <= r.end), `${d.subject}: ${f.path}:${l.line} not in ${JSON.stringify(f.ranges)}`);
        }
      }
    }
    assert.ok(checked > 10, `only ${checked} lines checked`);
  });

  it('places each fault commit in the files it touched', () => {
    for (const c of shop.commits.filter((x) => x.coAuthoredBy && x.fault)) {
      const d = result.diffs.find((x) => x.commit === c.sha)!;
      assert.ok(d.files.some((f) => f.ranges.length > 0 && c.files.includes(f.path)), `${c.subject} (${c.fault})`);
    }
  });
});
