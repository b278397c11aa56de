import { strict as assert } from 'node:assert';
import { checkClientToken, checkCollectorProof, clientToken, collectorProof, generateSecret, NonceLedger, TOKEN_MAX_SKEW_MS } from '../../../../collector/live/auth';

describe('live auth tokens and proofs', () => {
  const secret = generateSecret();
  const now = 1_800_000_000_000;

  it('accepts a client token made with the secret for this port within the clock window', () => {
    assert.equal(checkClientToken(clientToken(secret, 4318, now), secret, 4318, now + TOKEN_MAX_SKEW_MS - 1).ok, true);
  });

  it('refuses a token for another port, another secret, out of the window, or tampered with', () => {
    const t = clientToken(secret, 4318, now);
    assert.deepEqual(checkClientToken(t, secret, 4319, now), { ok: false, reason: 'wrong token' });
    assert.deepEqual(checkClientToken(t, generateSecret(), 4318, now), { ok: false, reason: 'wrong token' });
    assert.equal(checkClientToken(t, secret, 4318, now + TOKEN_MAX_SKEW_MS + 1).ok, false);
    const [v, time, nonce, mac] = t.split('.');
    assert.equal(checkClientToken([v, String(Number(time) + 1), nonce, mac].join('.'), secret, 4318, now).ok, false);
    assert.equal(checkClientToken(undefined, secret, 4318, now).ok, false);
    assert.equal(checkClientToken('v1.x.y', secret, 4318, now).ok, false);
  });

  it('keeps the two directions apart: a collector proof is never a client token', () => {
    const nonce = 'AAAAAAAAAAAAAAAAAAAAAAAA';
    const proof = collectorProof(secret, 4318, nonce);
    assert.equal(checkCollectorProof(proof, secret, 4318, nonce), true);
    assert.equal(checkCollectorProof(proof, secret, 4319, nonce), false);
    assert.equal(checkClientToken(`v1.${now}.${nonce}.${proof}`, secret, 4318, now).ok, false);
  });

  it('lets a nonce through once while it is fresh, and stays bounded', () => {
    const ledger = new NonceLedger(3);
    assert.equal(ledger.claim('n1', now), true);
    assert.equal(ledger.claim('n1', now + 1), false);
    for (const n of ['n2', 'n3', 'n4', 'n5']) assert.equal(ledger.claim(n, now + 2), true);
    assert.equal(ledger.claim('n1', now + 3), true, 'the oldest entry made room (its token has a bounded lifetime anyway)');
  });
});
